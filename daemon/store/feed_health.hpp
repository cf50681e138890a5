// Each feed's health as `newsmon feeds` lists it: the feed_health view, when it last
// succeeded, and whether it is failing, silent or overdue.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct FeedHealth {
    std::string name;
    std::string url;
    std::optional<std::string> last_polled_at;  // RFC 3339, UTC
    std::optional<std::string> last_success_at; // the last poll without error fetch_log keeps
    std::optional<int> last_http_status;
    int consecutive_failures = 0;
    std::optional<std::string> last_error;
    std::int64_t articles_24h = 0;
    std::optional<std::string> last_article_at;
    std::string next_poll_at;
    bool failing = false; // its last poll failed
    bool silent = false;  // the view's rule: nothing new for far longer than its rhythm
    bool overdue = false; // due for longer than its interval, and no instance holds it
};

// Every enabled feed, by name.
[[nodiscard]] std::vector<FeedHealth> feed_health(pqxx::connection& connection);

} // namespace newsmon::store

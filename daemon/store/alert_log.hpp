// The deliveries of alert rules as `newsmon alert log` shows them: newest first, with the
// article, the state and the last error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct DeliveryLogQuery {
    std::string rule;                 // empty: every rule's
    std::optional<std::string> since; // RFC 3339: only deliveries made since
    int limit = 50;
};

struct DeliveryLogEntry {
    std::int64_t id = 0;
    std::string rule;
    std::string kind;   // "match", or "update" (a story spread)
    std::string status; // pending, sent, failed
    int attempts = 0;
    std::string last_error;      // empty: none
    std::string created_at;      // RFC 3339, UTC
    std::string sent_at;         // empty: not sent
    std::string next_attempt_at; // when a pending delivery is tried next
    std::vector<std::string> matched_terms;
    std::string channels;                   // the rule's, JSON
    std::vector<std::string> channels_done; // "webhook:URL", "email:ADDRESS", "notify"
    std::int64_t article_id = 0;
    std::string title;
    std::string url;
    std::string feed; // the feed's name
    std::string published_at;
};

// The most recent deliveries, newest first; nullopt when `query.rule` names no rule.
[[nodiscard]] std::optional<std::vector<DeliveryLogEntry>>
recent_deliveries(pqxx::connection& connection, const DeliveryLogQuery& query);

} // namespace newsmon::store

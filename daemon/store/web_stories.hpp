// Stories as the web API shows them: a page of recent ones, and one with every article,
// outlet and its timeline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "store/web_page.hpp"

namespace newsmon::store {

struct StoryPageQuery {
    std::string since;                // RFC 3339: last seen then or later
    std::optional<std::string> topic; // with an article of this topic
    std::optional<PageKey> after;     // the previous page's last story
    int limit = 20;
};

// Stories by last_seen_at, newest first.
[[nodiscard]] WebPage web_stories(pqxx::connection& connection, const StoryPageQuery& query);

// The story with this id, or nullopt when there is none.
[[nodiscard]] std::optional<nlohmann::json> web_story(pqxx::connection& connection,
                                                      std::int64_t id);

} // namespace newsmon::store

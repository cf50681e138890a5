// What the dashboard shows beside the API's lists: the stories most outlets carry now, the
// latest tagged articles, and the spike rules' state. Each reads through what the analyst
// role may read, and each is bounded, so a page stays fast on a large archive.
#pragma once

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace newsmon::store {

// Stories seen in the last 24 hours, most feeds first, with the topics of their articles:
// {"id", "title", "feed_count", "article_count", "languages", "first_seen_at",
// "last_seen_at", "topics"}.
[[nodiscard]] nlohmann::json web_top_stories(pqxx::connection& connection, int limit);

// The newest articles tagged with a topic (republications left out), none from the future:
// {"id", "title", "url", "feed", "language", "published_at", "topics", "story_id"}.
[[nodiscard]] nlohmann::json web_latest_tagged(pqxx::connection& connection, int limit);

// Every spike rule with its episode state: {"rule", "enabled", "in_episode", "episodes",
// "last_count", "last_expected", "evaluated_at", "last_episode_at"}.
[[nodiscard]] nlohmann::json web_spike_states(pqxx::connection& connection);

} // namespace newsmon::store

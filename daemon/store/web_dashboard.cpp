#include "store/web_dashboard.hpp"

#include <string>

#include "store/json_field.hpp"

namespace newsmon::store {
namespace {

// The limit is applied before the topics are gathered, so only the shown stories pay for them.
constexpr const char* k_top_stories = R"sql(
SELECT s.id, s.title, s.feed_count, s.article_count,
       coalesce(array_to_json(s.languages)::text, '[]'),
       to_char(s.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((SELECT json_agg(DISTINCT t.topic ORDER BY t.topic)::text
                   FROM articles a JOIN article_topics t ON t.article_id = a.id
                  WHERE a.story_id = s.id), '[]')
  FROM (SELECT * FROM stories
         WHERE last_seen_at > now() - interval '24 hours'
         ORDER BY feed_count DESC, article_count DESC, first_seen_at, id
         LIMIT $1) s
 ORDER BY s.feed_count DESC, s.article_count DESC, s.first_seen_at, s.id
)sql";

// Newest first along the published_at index; an article dated far ahead (a feed's wrong clock)
// would otherwise head the list for days.
constexpr const char* k_latest_tagged = R"sql(
SELECT a.id, a.title, coalesce(a.url, ''), f.name, coalesce(a.language, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       (SELECT json_agg(t.topic ORDER BY t.topic)::text
          FROM article_topics t WHERE t.article_id = a.id),
       a.story_id
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.published_at <= now() + interval '1 hour' AND a.duplicate_of IS NULL
   AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id)
 ORDER BY a.published_at DESC, a.id DESC
 LIMIT $1
)sql";

constexpr const char* k_spike_states = R"sql(
SELECT r.name, r.enabled, coalesce(s.in_episode, false), coalesce(s.episodes, 0),
       s.last_count, s.last_expected,
       to_char(s.evaluated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       (SELECT to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
          FROM alert_deliveries d
         WHERE d.rule_id = r.id AND d.kind = 'spike'
         ORDER BY d.created_at DESC LIMIT 1)
  FROM alert_rules_public r LEFT JOIN spike_state s ON s.rule_id = r.id
 WHERE r.spike_window IS NOT NULL
 ORDER BY coalesce(s.in_episode, false) DESC, r.name
)sql";

} // namespace

nlohmann::json web_top_stories(pqxx::connection& connection, int limit) {
    pqxx::read_transaction tx{connection};
    nlohmann::json stories = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_top_stories, limit))
        stories.push_back({{"id", row[0].as<std::int64_t>()},
                           {"title", row[1].as<std::string>()},
                           {"feed_count", row[2].as<int>()},
                           {"article_count", row[3].as<int>()},
                           {"languages", nlohmann::json::parse(row[4].as<std::string>())},
                           {"first_seen_at", row[5].as<std::string>()},
                           {"last_seen_at", row[6].as<std::string>()},
                           {"topics", nlohmann::json::parse(row[7].as<std::string>())}});
    return stories;
}

nlohmann::json web_latest_tagged(pqxx::connection& connection, int limit) {
    pqxx::read_transaction tx{connection};
    nlohmann::json articles = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_latest_tagged, limit))
        articles.push_back({{"id", row[0].as<std::int64_t>()},
                            {"title", row[1].as<std::string>()},
                            {"url", row[2].as<std::string>()},
                            {"feed", row[3].as<std::string>()},
                            {"language", row[4].as<std::string>()},
                            {"published_at", row[5].as<std::string>()},
                            {"topics", nlohmann::json::parse(row[6].as<std::string>())},
                            {"story_id", row[7].as<std::int64_t>()}});
    return articles;
}

nlohmann::json web_spike_states(pqxx::connection& connection) {
    pqxx::read_transaction tx{connection};
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& row : tx.exec(k_spike_states))
        rules.push_back({{"rule", row[0].as<std::string>()},
                         {"enabled", row[1].as<bool>()},
                         {"in_episode", row[2].as<bool>()},
                         {"episodes", row[3].as<int>()},
                         {"last_count", json_or_null<double>(row[4])},
                         {"last_expected", json_or_null<double>(row[5])},
                         {"evaluated_at", json_or_null<std::string>(row[6])},
                         {"last_episode_at", json_or_null<std::string>(row[7])}});
    return rules;
}

} // namespace newsmon::store

#include "store/web_counts.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_counts = R"sql(
WITH step AS (SELECT CASE WHEN $2::bool THEN interval '1 hour' ELSE interval '1 day' END AS size,
                     CASE WHEN $2::bool THEN 'hour' ELSE 'day' END AS unit),
     buckets AS (
       SELECT generate_series(date_trunc(step.unit, $3::timestamptz), now(), step.size) AS start,
              step.size
         FROM step),
     tagged AS (
       SELECT a.published_at, a.story_id
         FROM article_topics t JOIN articles a ON a.id = t.article_id
        WHERE t.topic = $1 AND a.duplicate_of IS NULL
          AND a.published_at >= (SELECT min(start) FROM buckets))
SELECT to_char(b.start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       count(g.story_id), count(DISTINCT g.story_id)
  FROM buckets b
  LEFT JOIN tagged g ON g.published_at >= b.start AND g.published_at < b.start + b.size
 GROUP BY b.start
 ORDER BY b.start
)sql";

} // namespace

nlohmann::json web_topic_counts(pqxx::connection& connection, const TopicCountQuery& query) {
    pqxx::read_transaction tx{connection};
    nlohmann::json buckets = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_counts, query.topic, query.hourly, query.since))
        buckets.push_back({{"start", row[0].as<std::string>()},
                           {"articles", row[1].as<std::int64_t>()},
                           {"stories", row[2].as<std::int64_t>()}});
    return buckets;
}

} // namespace newsmon::store

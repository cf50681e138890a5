#include "store/web_counts.hpp"

namespace newsmon::store {
namespace {

// From the rollups (0016_topic_rollups.sql): topic_hourly plus the deltas not folded yet. Buckets
// are UTC hours or days, counted in timestamps without a zone, so that the session's TimeZone
// never matters.
constexpr const char* k_counts = R"sql(
WITH step AS (SELECT CASE WHEN $2::bool THEN 'hour' ELSE 'day' END AS unit,
                     CASE WHEN $2::bool THEN interval '1 hour' ELSE interval '1 day' END AS size),
     buckets AS (
       SELECT generate_series(date_trunc(step.unit, $3::timestamptz AT TIME ZONE 'UTC'),
                              now() AT TIME ZONE 'UTC', step.size) AS start
         FROM step),
     first AS (SELECT min(start) AT TIME ZONE 'UTC' AS hour FROM buckets),
     hours AS (
       SELECT hour, articles, stories FROM topic_hourly
        WHERE topic = $1 AND hour >= (SELECT hour FROM first)
       UNION ALL
       SELECT hour, articles, stories FROM topic_hourly_changes
        WHERE topic = $1 AND hour >= (SELECT hour FROM first)),
     counted AS (
       SELECT date_trunc((SELECT unit FROM step), h.hour AT TIME ZONE 'UTC') AS start,
              sum(h.articles) AS articles, sum(h.stories) AS stories
         FROM hours h
        GROUP BY 1)
SELECT to_char(b.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), COALESCE(c.articles, 0),
       COALESCE(c.stories, 0)
  FROM buckets b
  LEFT JOIN counted c ON c.start = b.start
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

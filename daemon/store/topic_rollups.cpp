#include "store/topic_rollups.hpp"

#include "store/store.hpp"

namespace newsmon::store {
namespace {

// pg_try_advisory_xact_lock key: one fold at a time across instances. The bytes of "nmrollup".
constexpr long long k_fold_lock = 0x6e6d726f6c6c7570;

constexpr const char* k_fold = R"sql(
WITH taken AS (
    DELETE FROM topic_hourly_changes RETURNING topic, hour, articles, stories
)
INSERT INTO topic_hourly AS h (topic, hour, articles, stories)
SELECT topic, hour, sum(articles), sum(stories)
  FROM taken
 GROUP BY topic, hour
 ORDER BY topic, hour
ON CONFLICT ON CONSTRAINT topic_hourly_pkey DO UPDATE
   SET articles = h.articles + EXCLUDED.articles, stories = h.stories + EXCLUDED.stories
)sql";

// As 0016_topic_rollups.sql fills it.
constexpr const char* k_recount = R"sql(
INSERT INTO topic_hourly (topic, hour, articles, stories)
SELECT t.topic, date_trunc('hour', a.published_at, 'UTC'), count(*),
       count(*) FILTER (WHERE s.first_article_id = a.id)
  FROM article_topics t
  JOIN articles a ON a.id = t.article_id
  LEFT JOIN stories s ON s.id = a.story_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2
)sql";

// What the articles $1 count in the rollups as they stand, times $2 (1 or -1), as deltas.
constexpr const char* k_count_articles = R"sql(
INSERT INTO topic_hourly_changes (topic, hour, articles, stories)
SELECT t.topic, date_trunc('hour', a.published_at, 'UTC'), $2::integer * count(*),
       $2::integer * count(*) FILTER (WHERE s.first_article_id = a.id)
  FROM articles a
  JOIN article_topics t ON t.article_id = a.id
  LEFT JOIN stories s ON s.id = a.story_id
 WHERE a.id = ANY ($1::bigint[]) AND a.duplicate_of IS NULL
 GROUP BY 1, 2
)sql";

} // namespace

void take_off_topic_rollups(pqxx::work& tx, const std::vector<std::int64_t>& article_ids) {
    tx.exec_params0(k_count_articles, to_int_array(article_ids), -1);
}

void add_to_topic_rollups(pqxx::work& tx, const std::vector<std::int64_t>& article_ids) {
    tx.exec_params0(k_count_articles, to_int_array(article_ids), 1);
}

std::int64_t fold_topic_rollups(pqxx::connection& connection) {
    pqxx::work tx{connection};
    if (!tx.exec_params1("SELECT pg_try_advisory_xact_lock($1)", k_fold_lock)[0].as<bool>())
        return 0;
    auto written = tx.exec0(k_fold).affected_rows();
    tx.commit();
    return static_cast<std::int64_t>(written);
}

std::int64_t rebuild_topic_rollups(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto written = rebuild_topic_rollups(tx);
    tx.commit();
    return written;
}

std::int64_t rebuild_topic_rollups(pqxx::work& tx) {
    // Conflicts with the writers' ROW EXCLUSIVE: waits for those holding it (their articles are
    // then committed and counted below), and new ones wait until the commit, so that no delta
    // is both counted here and appended.
    tx.exec0("LOCK TABLE topic_hourly_changes IN SHARE ROW EXCLUSIVE MODE");
    tx.exec0("DELETE FROM topic_hourly_changes");
    tx.exec0("DELETE FROM topic_hourly");
    return static_cast<std::int64_t>(tx.exec0(k_recount).affected_rows());
}

} // namespace newsmon::store

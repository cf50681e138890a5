#include "store/topic_rollups.hpp"

#include <string>

#include "store/store.hpp"

namespace newsmon::store {
namespace {

// pg_try_advisory_xact_lock key: one fold at a time across instances. The bytes of "nmrollup".
constexpr long long k_fold_lock = 0x6e6d726f6c6c7570;

// The per-feed and pair deltas go first, in CTEs (each data-modifying CTE runs once, whether or
// not its rows are read); the statement's own rows are those written to topic_hourly. Deltas
// without a feed predate 0021_feed_and_pair_rollups.sql, whose fill counted their articles.
constexpr const char* k_fold = R"sql(
WITH taken AS (
    DELETE FROM topic_hourly_changes RETURNING topic, feed_id, hour, articles, stories
), per_feed AS (
    INSERT INTO topic_feed_hourly AS h (hour, topic, feed_id, articles)
    SELECT hour, topic, feed_id, sum(articles)
      FROM taken
     WHERE feed_id IS NOT NULL
     GROUP BY hour, topic, feed_id
    HAVING sum(articles) <> 0
     ORDER BY hour, topic, feed_id
    ON CONFLICT ON CONSTRAINT topic_feed_hourly_pkey DO UPDATE
       SET articles = h.articles + EXCLUDED.articles
), pairs_taken AS (
    DELETE FROM topic_pair_hourly_changes RETURNING hour, topic_a, topic_b, articles
), pairs AS (
    INSERT INTO topic_pair_hourly AS h (hour, topic_a, topic_b, articles)
    SELECT hour, topic_a, topic_b, sum(articles)
      FROM pairs_taken
     GROUP BY hour, topic_a, topic_b
    HAVING sum(articles) <> 0
     ORDER BY hour, topic_a, topic_b
    ON CONFLICT ON CONSTRAINT topic_pair_hourly_pkey DO UPDATE
       SET articles = h.articles + EXCLUDED.articles
)
INSERT INTO topic_hourly AS h (topic, hour, articles, stories)
SELECT topic, hour, sum(articles), sum(stories)
  FROM taken
 GROUP BY topic, hour
 ORDER BY topic, hour
ON CONFLICT ON CONSTRAINT topic_hourly_pkey DO UPDATE
   SET articles = h.articles + EXCLUDED.articles, stories = h.stories + EXCLUDED.stories
)sql";

// As 0016_topic_rollups.sql and 0021_feed_and_pair_rollups.sql fill them.
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

constexpr const char* k_recount_per_feed = R"sql(
INSERT INTO topic_feed_hourly (hour, topic, feed_id, articles)
SELECT date_trunc('hour', a.published_at, 'UTC'), t.topic, a.feed_id, count(*)
  FROM article_topics t
  JOIN articles a ON a.id = t.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2, 3
)sql";

constexpr const char* k_recount_pairs = R"sql(
INSERT INTO topic_pair_hourly (hour, topic_a, topic_b, articles)
SELECT date_trunc('hour', a.published_at, 'UTC'), x.topic, y.topic, count(*)
  FROM article_topics x
  JOIN article_topics y ON y.article_id = x.article_id AND x.topic < y.topic
  JOIN articles a ON a.id = x.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2, 3
)sql";

// The stories whose tag deltas a fold takes: those no other transaction holds (a writer adding
// articles, restory, retention). The fold never waits on a story row, so it never deadlocks with
// them; the others' deltas wait for the next fold.
constexpr const char* k_lock_tagged_stories = R"sql(
SELECT COALESCE(array_agg(id ORDER BY id), '{}')
  FROM (SELECT s.id FROM stories s
         WHERE s.id IN (SELECT story_id FROM story_topic_changes)
         ORDER BY s.id
           FOR UPDATE SKIP LOCKED) locked
)sql";

// Adds the deltas of the stories $1 (locked) to their tags per topic, and removes them; and the
// deltas of stories deleted since (retention), which have nothing left to add to.
constexpr const char* k_fold_story_topics = R"sql(
WITH taken AS (
    DELETE FROM story_topic_changes WHERE story_id = ANY ($1::bigint[])
    RETURNING story_id, topic, articles
), orphans AS (
    DELETE FROM story_topic_changes c
     WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = c.story_id)
)
UPDATE stories s
   SET topic_articles = topic_counts_add(s.topic_articles, d.change)
  FROM (SELECT story_id, jsonb_object_agg(topic, n) AS change
          FROM (SELECT story_id, topic, sum(articles) AS n
                  FROM taken
                 GROUP BY 1, 2
                HAVING sum(articles) <> 0) per_topic
         GROUP BY story_id) d
 WHERE s.id = d.story_id
)sql";

// Each story's tags per topic (0024_story_topics.sql), written only where they differ: ingest
// and pages keep them, so a rebuild rewrites only what changed behind their back (retag, tags
// written by hand).
constexpr const char* k_recount_story_topics = R"sql(
UPDATE stories s
   SET topic_articles = c.counts
  FROM (SELECT s.id,
               COALESCE(jsonb_object_agg(p.topic, p.n ORDER BY p.topic)
                            FILTER (WHERE p.topic IS NOT NULL), '{}') AS counts
          FROM stories s
          LEFT JOIN (SELECT a.story_id, t.topic, count(*) AS n
                       FROM article_topics t JOIN articles a ON a.id = t.article_id
                      GROUP BY 1, 2) p ON p.story_id = s.id
         GROUP BY s.id) c
 WHERE s.id = c.id AND s.topic_articles IS DISTINCT FROM c.counts
)sql";

// What the articles $1 count in the rollups as they stand, times $2 (1 or -1), as deltas; and
// their tags, so counted, as deltas to their stories' (republications included).
constexpr const char* k_count_articles = R"sql(
WITH story_tags AS (
    INSERT INTO story_topic_changes (story_id, topic, articles)
    SELECT a.story_id, t.topic, $2::integer * count(*)
      FROM articles a JOIN article_topics t ON t.article_id = a.id
     WHERE a.id = ANY ($1::bigint[]) AND a.story_id IS NOT NULL
     GROUP BY 1, 2
), pairs AS (
    INSERT INTO topic_pair_hourly_changes (hour, topic_a, topic_b, articles)
    SELECT date_trunc('hour', a.published_at, 'UTC'), x.topic, y.topic, $2::integer * count(*)
      FROM articles a
      JOIN article_topics x ON x.article_id = a.id
      JOIN article_topics y ON y.article_id = a.id AND x.topic < y.topic
     WHERE a.id = ANY ($1::bigint[]) AND a.duplicate_of IS NULL
     GROUP BY 1, 2, 3
)
INSERT INTO topic_hourly_changes (topic, feed_id, hour, articles, stories)
SELECT t.topic, a.feed_id, date_trunc('hour', a.published_at, 'UTC'), $2::integer * count(*),
       $2::integer * count(*) FILTER (WHERE s.first_article_id = a.id)
  FROM articles a
  JOIN article_topics t ON t.article_id = a.id
  LEFT JOIN stories s ON s.id = a.story_id
 WHERE a.id = ANY ($1::bigint[]) AND a.duplicate_of IS NULL
 GROUP BY 1, 2, 3
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
    auto stories = tx.exec1(k_lock_tagged_stories)[0].as<std::string>();
    tx.exec_params0(k_fold_story_topics, stories);
    tx.commit();
    return static_cast<std::int64_t>(written);
}

std::int64_t rebuild_topic_rollups(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto written = rebuild_topic_rollups(tx);
    tx.commit();
    // Refilled tables keep the statistics of what they held before until autovacuum comes by
    // (up to a minute later): a planner that still thinks them empty reads all of
    // topic_feed_hourly for a month of it (95 ms instead of 11 at 1,000,000 articles). An empty
    // one is left unanalyzed, as the migrations leave it: analyzed, it would be planned as
    // empty until autovacuum came by, and plans that connections keep would stay so.
    pqxx::nontransaction analyze{connection};
    for (const char* table : {"topic_hourly", "topic_feed_hourly", "topic_pair_hourly"})
        if (analyze.exec1(std::string("SELECT EXISTS (SELECT FROM ") + table + ")")[0].as<bool>())
            analyze.exec0(std::string("ANALYZE ") + table);
    return written;
}

std::int64_t rebuild_topic_rollups(pqxx::work& tx) {
    // Conflicts with the writers' ROW EXCLUSIVE: waits for those holding it (their articles are
    // then committed and counted below), and new ones wait until the commit, so that no delta
    // is both counted here and appended.
    // Every statement that appends pair deltas appends topic deltas too, so this one lock holds
    // them all (and, taken alone, cannot deadlock with one that locked the pairs' table first).
    tx.exec0("LOCK TABLE topic_hourly_changes IN SHARE ROW EXCLUSIVE MODE");
    tx.exec0("DELETE FROM topic_hourly_changes");
    tx.exec0("DELETE FROM topic_pair_hourly_changes");
    tx.exec0("DELETE FROM story_topic_changes");
    tx.exec0("DELETE FROM topic_hourly");
    tx.exec0("DELETE FROM topic_feed_hourly");
    tx.exec0("DELETE FROM topic_pair_hourly");
    tx.exec0(k_recount_per_feed);
    tx.exec0(k_recount_pairs);
    tx.exec0(k_recount_story_topics);
    return static_cast<std::int64_t>(tx.exec0(k_recount).affected_rows());
}

} // namespace newsmon::store

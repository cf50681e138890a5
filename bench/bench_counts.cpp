// A topic's counts per day over 30 days as the web API answers them (store::web_topic_counts,
// read from the topic rollups) over a database of $NEWSMON_BENCH_ARTICLES articles (default
// 1,000,000, 31.5% of them tagged nato), beside the GROUP BY over article_topics and articles
// that answered before the rollups; and the rebuild of the rollups after the bulk load. Needs
// $NEWSMON_BENCH_DATABASE_URL (bench/run sets it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "config/config.hpp"
#include "newsmon/parsers/dates.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "store/web_counts.hpp"
#include "summary.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

constexpr int k_rollup_runs = 50;
constexpr int k_group_by_runs = 5;

// The query /api/v1/topics/{topic}/counts ran before the rollups, as the reference.
constexpr const char* k_group_by = R"sql(
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
SELECT b.start, count(g.story_id), count(DISTINCT g.story_id)
  FROM buckets b
  LEFT JOIN tagged g ON g.published_at >= b.start AND g.published_at < b.start + b.size
 GROUP BY b.start
 ORDER BY b.start
)sql";

// Articles at 30,000 a day back from now, in stories of three; every 200 articles, 63 are
// tagged nato and 63 azerbaijan (31.5% each), as a grown archive holds them.
void populate(pqxx::connection& connection, std::int64_t feed_id, long long articles) {
    pqxx::work tx{connection};
    auto first_story =
        tx.exec1("SELECT nextval(pg_get_serial_sequence('stories', 'id'))")[0].as<long long>();
    (void)tx.exec_params1("SELECT setval(pg_get_serial_sequence('stories', 'id'), $1::bigint)",
                          first_story + articles / 3 + 1);
    tx.exec_params0(R"sql(
INSERT INTO articles (feed_id, guid, url, title, summary, published_at, content_hash, title_key,
                      story_id)
SELECT $1, 'counts-bench-' || g, 'https://bench.example.test/counts/' || g,
       'Archived report ' || g, 'Talks on transport and energy ' || g,
       now() - g * interval '2.88 seconds', md5(g::text), 'archived report ' || g,
       $3::bigint + (g - 1) / 3
  FROM generate_series(1, $2::bigint) g)sql",
                    feed_id, articles, first_story);
    tx.exec0(R"sql(
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, (array_agg(id ORDER BY published_at, id))[1], min(published_at),
       max(published_at), count(*), 1, '{en}', min(title)
  FROM articles WHERE guid LIKE 'counts-bench-%' GROUP BY story_id)sql");
    tx.exec0(R"sql(
INSERT INTO article_topics (article_id, topic, score, hits)
SELECT id, topic, 1, 1
  FROM articles, LATERAL (VALUES ('nato', 0), ('azerbaijan', 100)) v(topic, offset_)
 WHERE guid LIKE 'counts-bench-%' AND (id + offset_) % 200 < 63)sql");
    tx.commit();
    pqxx::nontransaction vacuum{connection};
    vacuum.exec0("VACUUM ANALYZE");
}

long long stored_articles(pqxx::connection& connection) {
    pqxx::work tx{connection};
    return tx.exec1("SELECT count(*) FROM articles WHERE guid LIKE 'counts-bench-%'")[0]
        .as<long long>();
}

// The value at `fraction` of the sorted run times (0.5: the median).
double quantile(std::vector<double> seconds, double fraction) {
    std::sort(seconds.begin(), seconds.end());
    auto at = static_cast<std::size_t>(fraction * static_cast<double>(seconds.size() - 1) + 0.5);
    return seconds[at];
}

template <typename Query> std::vector<double> timed_runs(int runs, Query query) {
    std::vector<double> seconds;
    for (int run = 0; run < runs; ++run) {
        auto started = Clock::now();
        query();
        seconds.push_back(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return seconds;
}

} // namespace

int main() {
    auto articles = static_cast<long long>(bench::bench_article_count(1'000'000));
    const char* url = bench::bench_database_url();
    if (!url)
        return 2;
    store::Store store{url};
    store::migrate(store.connection());
    config::Config config;
    config::FeedConfig feed;
    feed.name = "Counts bench feed";
    feed.url = "https://bench.example.test/counts";
    config.feeds.push_back(feed);
    config.topics = {{"nato", "", {"NATO"}, {}, 1}, {"azerbaijan", "", {"Baku"}, {}, 1}};
    store.sync_feeds(config);
    store.sync_topics(config);
    pqxx::connection connection{url};
    {
        // as `newsmon web` reads: both queries' day buckets are UTC days then
        pqxx::nontransaction tx{connection};
        tx.exec0("SET TIME ZONE 'UTC'");
    }
    if (stored_articles(connection) < articles) {
        auto started = Clock::now();
        populate(connection, store.enabled_feeds().front().id, articles);
        std::printf("stored %lld articles in %.0f s\n", articles,
                    std::chrono::duration<double>(Clock::now() - started).count());
    }
    auto started = Clock::now();
    auto rows = store::rebuild_topic_rollups(connection);
    std::printf("rollups rebuilt after the load: %lld rows in %.2f s\n",
                static_cast<long long>(rows),
                std::chrono::duration<double>(Clock::now() - started).count());

    store::TopicCountQuery query{"nato", false,
                                 parsers::format_rfc3339(std::chrono::floor<std::chrono::seconds>(
                                     std::chrono::system_clock::now() - std::chrono::days{30}))};
    long long answered = 0;
    auto rollups = timed_runs(k_rollup_runs, [&] {
        auto buckets = store::web_topic_counts(connection, query);
        answered = 0;
        for (const auto& bucket : buckets)
            answered += bucket["articles"].get<long long>();
    });
    long long grouped = 0;
    auto group_by = timed_runs(k_group_by_runs, [&] {
        pqxx::read_transaction tx{connection};
        grouped = 0;
        for (const auto& row : tx.exec_params(k_group_by, query.topic, false, query.since))
            grouped += row[1].as<long long>();
    });
    std::printf("nato per day over 30 days, %lld articles stored\n", articles);
    std::printf("%-44s %6s %12s %12s\n", "query", "runs", "median ms", "p95 ms");
    std::printf("%-44s %6d %12.1f %12.1f\n", "rollups (web_topic_counts)", k_rollup_runs,
                1000 * quantile(rollups, 0.5), 1000 * quantile(rollups, 0.95));
    std::printf("%-44s %6d %12.1f %12.1f\n", "GROUP BY over article_topics and articles",
                k_group_by_runs, 1000 * quantile(group_by, 0.5), 1000 * quantile(group_by, 0.95));
    std::printf("articles counted: %lld from the rollups, %lld by the GROUP BY\n", answered,
                grouped);
    bench::summary_row("topic counts per day, 30 days (p95)", 1000 * quantile(rollups, 0.95), "ms",
                       "GROUP BY over the articles (before the rollups)",
                       1000 * quantile(group_by, 0.95), "< 200 ms at 1,000,000");
    return answered == grouped ? 0 : 1;
}

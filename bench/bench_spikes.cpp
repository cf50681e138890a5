// Spike rules evaluated after a poll cycle (alerts::evaluate_spike_rules): 200 rules over a
// database of $NEWSMON_BENCH_ARTICLES articles (default 20,000) spread over 30 days, each rule
// matching 0.1 to 1 per cent of them, beside a plain scan of the same rows of spike_hits. Needs
// $NEWSMON_BENCH_DATABASE_URL (bench/run sets it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "alerts/spike_evaluator.hpp"
#include "config/config.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "summary.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

constexpr int k_rules = 200;
constexpr int k_rounds = 5;

// Articles (each a story of its own) at an even rate over the last 30 days, and the rules'
// hits as ingest would have recorded them: rule r matches article g when g % m == r % m, m
// being 100, 200 or 1000 by turns.
void populate(pqxx::connection& connection, std::int64_t feed_id, long long articles) {
    pqxx::work tx{connection};
    tx.exec_params0(R"sql(
INSERT INTO articles (feed_id, guid, url, title, summary, published_at, content_hash, title_key,
                      story_id)
SELECT $1, 'spike-bench-' || g, 'https://bench.example.test/spikes/' || g, 'Report ' || g,
       'Summary ' || g, now() - (g * (30 * 86400.0 / $2)) * interval '1 second', md5(g::text),
       'report ' || g, nextval(pg_get_serial_sequence('stories', 'id'))
  FROM generate_series(1, $2::bigint) g)sql",
                    feed_id, articles);
    tx.exec0(R"sql(
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, id, published_at, published_at, 1, 1, '{en}', title FROM articles)sql");
    for (int r = 1; r <= k_rules; ++r)
        tx.exec_params0(R"sql(
INSERT INTO alert_rules (name, query, channels, spike_window, spike_baseline, spike_min_count)
VALUES ('spike ' || $1, 'report', '{"notify": true}', interval '1 hour', interval '14 days', 5))sql",
                        r);
    tx.exec0(R"sql(
INSERT INTO spike_hits (rule_id, article_id, story_id, published_at)
SELECT r.id, a.id, a.story_id, a.published_at
  FROM alert_rules r
  JOIN articles a ON a.id % (CASE r.id % 3 WHEN 0 THEN 100 WHEN 1 THEN 200 ELSE 1000 END)
                   = r.id % (CASE r.id % 3 WHEN 0 THEN 100 WHEN 1 THEN 200 ELSE 1000 END))sql");
    tx.exec0("INSERT INTO spike_state (rule_id, history_from) "
             "SELECT id, now() - interval '30 days' FROM alert_rules");
    tx.commit();
    (void)store::rebuild_topic_rollups(connection); // rows loaded behind the ingest upsert
    pqxx::nontransaction analyze{connection};
    analyze.exec0("VACUUM ANALYZE");
}

// The articles an earlier run stored in this database: populating a million takes minutes.
long long stored_articles(pqxx::connection& connection) {
    pqxx::work tx{connection};
    return tx.exec1("SELECT count(*) FROM articles WHERE guid LIKE 'spike-bench-%'")[0]
        .as<long long>();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The rows one round reads, scanned without grouping or judging: the floor for any method.
double plain_scan(pqxx::connection& connection) {
    auto started = Clock::now();
    pqxx::work tx{connection};
    tx.exec1("SELECT count(*) FROM spike_hits WHERE published_at > now() - interval '15 days 1 "
             "hour'");
    return std::chrono::duration<double>(Clock::now() - started).count();
}

} // namespace

int main() {
    auto articles = static_cast<long long>(bench::bench_article_count(20'000));
    const char* url = bench::bench_database_url();
    if (!url)
        return 2;
    store::Store store{url};
    store::migrate(store.connection());
    config::Config config;
    config::FeedConfig feed;
    feed.name = "Spike bench feed";
    feed.url = "https://bench.example.test/spikes/feed";
    config.feeds.push_back(feed);
    store.sync_feeds(config);
    auto started = Clock::now();
    if (stored_articles(store.connection()) == articles) {
        std::printf("reusing the %lld articles of an earlier run\n", articles);
    } else {
        populate(store.connection(), store.enabled_feeds().front().id, articles);
        std::printf("stored %lld articles and their hits for %d spike rules in %.0f s\n", articles,
                    k_rules, std::chrono::duration<double>(Clock::now() - started).count());
    }

    std::vector<double> rounds, scans;
    int evaluated = 0;
    for (int round = 0; round < k_rounds; ++round) {
        auto begun = Clock::now();
        evaluated = alerts::evaluate_spike_rules(store.connection()).evaluated;
        rounds.push_back(std::chrono::duration<double>(Clock::now() - begun).count());
        scans.push_back(plain_scan(store.connection()));
    }
    double seconds = median(rounds), scan = median(scans);
    std::printf("%-44s %10s\n", "workload (median of 5)", "seconds");
    std::printf("%-44s %10.3f\n", "evaluate 200 spike rules after a cycle", seconds);
    std::printf("%-44s %10.3f\n", "plain scan of the same spike_hits rows", scan);
    std::printf("rules evaluated: %d (expected %d)\n", evaluated, k_rules);
    bench::summary_row("spikes: 200 rules evaluated after a cycle", seconds, "s",
                       "plain scan of the same spike_hits rows", scan,
                       "< 1 s at 1,000,000 articles");
    return evaluated == k_rules ? 0 : 1;
}

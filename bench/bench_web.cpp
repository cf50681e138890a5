// `newsmon web` over a grown archive: the server time of the dashboard and of the API's topic
// counts at the 95th percentile, beside what the same server takes for its stylesheet (no
// database) and what the counts took as a GROUP BY over the articles; and the rate the daemon's
// write path keeps while 50 clients load the dashboard, beside the same rate with none: as
// people do (a second of reading between loads), and as a stress test (no pause at all).
// The dashboard's row is its rendering, with the shared copy off.
// Needs $NEWSMON_BENCH_DATABASE_URL (bench/run sets it); $NEWSMON_BENCH_WEB_ARTICLES sets the
// archive's size (default 1,000,000).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <pqxx/pqxx>

#include "feed_generator.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "summary.hpp"
#include "web/api_server.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_feeds = 100;
constexpr int k_requests = 40;
constexpr int k_clients = 50;

double seconds_since(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

// An archive of `count` articles over the last 30 days from the feeds, in the daemon's row
// shape, each seen when it was published: 40% tagged nato, 60% azerbaijan, each a story of
// its own, with words for search.
void preload(const std::string& url, long long count) {
    pqxx::connection connection{url};
    pqxx::work tx{connection};
    tx.exec_params0(R"sql(
INSERT INTO articles (feed_id, guid, url, title, summary, published_at, first_seen_at,
                      content_hash, title_key, story_id, language, words)
SELECT f.id, 'archive-' || g, 'https://bench.example.test/archive/' || g,
       'Report ' || g || ' on regional security talks', 'Talks on transport and energy ' || g,
       now() - g * (interval '30 days' / $1::bigint), now() - g * (interval '30 days' / $1::bigint),
       md5(g::text), 'report ' || g,
       nextval(pg_get_serial_sequence('stories', 'id')), 'en',
       to_tsvector('simple', 'report regional security talks transport energy ' || g)
  FROM generate_series(1, $1::bigint) g
  JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM feeds) f
    ON f.n = g % (SELECT count(*) FROM feeds))sql",
                    count);
    tx.exec0(R"sql(
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, id, published_at, published_at, 1, 1, '{en}', title
  FROM articles WHERE guid LIKE 'archive-%')sql");
    tx.exec0(R"sql(
INSERT INTO article_topics (article_id, topic, score, hits, matched_terms)
SELECT id, 'nato', 3, 1, '{NATO}'::text[] FROM articles WHERE guid LIKE 'archive-%' AND id % 5 < 2
UNION ALL
SELECT id, 'azerbaijan', 4, 2, '{Baku}'::text[] FROM articles WHERE guid LIKE 'archive-%' AND id % 10 < 6)sql");
    tx.commit();
    store::rebuild_topic_rollups(connection);
    pqxx::nontransaction vacuum{connection};
    vacuum.exec0("VACUUM ANALYZE");
}

struct Percentiles {
    double p50 = 0;
    double p95 = 0;
};

// `k_requests` GETs of `path` one after another, after two to warm up; milliseconds.
Percentiles time_path(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds{60});
    std::vector<double> millis;
    for (int i = 0; i < k_requests + 2; ++i) {
        auto started = Clock::now();
        auto reply = client.Get(path);
        double taken = seconds_since(started) * 1000;
        if (!reply || reply->status != 200) {
            std::fprintf(stderr, "GET %s failed: %d\n", path.c_str(), reply ? reply->status : -1);
            std::exit(1);
        }
        if (i >= 2)
            millis.push_back(taken);
    }
    std::sort(millis.begin(), millis.end());
    return {millis[millis.size() / 2], millis[millis.size() * 95 / 100]};
}

// The counts as they were computed before the rollups: a GROUP BY over articles, 30 days.
double group_by_counts_millis(const std::string& url) {
    pqxx::connection connection{url};
    pqxx::read_transaction tx{connection};
    auto started = Clock::now();
    tx.exec(R"sql(
SELECT date_trunc('day', a.published_at, 'UTC'), count(*), count(DISTINCT a.story_id)
  FROM article_topics t JOIN articles a ON a.id = t.article_id
 WHERE t.topic = 'nato' AND a.duplicate_of IS NULL AND a.published_at >= now() - interval '30 days'
 GROUP BY 1)sql");
    return seconds_since(started) * 1000;
}

std::vector<store::PolledArticle> new_articles(std::size_t count, const std::string& run) {
    std::vector<store::PolledArticle> articles(count);
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (std::size_t n = 0; n < count; ++n) {
        auto& article = articles[n];
        article.item.guid = "https://bench.example.test/" + run + "/" + std::to_string(n);
        article.item.link = article.item.guid;
        article.item.title = "Update " + std::to_string(n) + " " + run + ": talks in Baku";
        article.item.summary = bench::paragraph(n);
        article.item.published = now - std::chrono::seconds{n};
        article.content_text = bench::paragraph(n + 1) + "\n" + bench::paragraph(n + 2);
        article.topics = {{"nato", 3, 2, {"NATO"}, false}, {"azerbaijan", 4, 3, {"Baku"}, true}};
        article.language = "en";
    }
    return articles;
}

// Articles per second through the daemon's write path (record_poll, 30 per transaction).
double ingest_rate(store::Store& store, const std::vector<store::FeedRow>& feeds,
                   const std::string& run) {
    auto articles = new_articles(6000, run);
    auto started = Clock::now();
    for (std::size_t offset = 0; offset < articles.size(); offset += 30) {
        store::FeedPoll poll;
        poll.feed_id = feeds[(offset / 30) % feeds.size()].id;
        poll.started_at = std::chrono::system_clock::now();
        poll.http_status = 200;
        poll.next_poll_in = std::chrono::minutes{15};
        poll.articles.assign(articles.begin() + static_cast<std::ptrdiff_t>(offset),
                             articles.begin() + static_cast<std::ptrdiff_t>(offset + 30));
        poll.items_seen = poll.articles.size();
        (void)store.record_poll(poll);
    }
    return static_cast<double>(articles.size()) / seconds_since(started);
}

struct LoadedRate {
    double rate = 0;             // articles per second through the write path
    double pages_per_second = 0; // dashboards the clients loaded meanwhile
};

// Runs `measure` (a write-path rate) while `k_clients` clients load / from the server at
// `port`, each waiting `pause` between its loads.
LoadedRate with_clients(int port, std::chrono::milliseconds pause,
                        const std::function<double()>& measure) {
    std::mutex mutex;
    std::condition_variable stopping;
    bool stop = false;
    std::atomic<long> pages{0};
    auto stopped_within = [&](std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex);
        return stopping.wait_for(lock, wait, [&] { return stop; });
    };
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c)
        clients.emplace_back([&, c] {
            // Staggered, so that people reading do not all reload in the same millisecond.
            if (stopped_within(pause * c / k_clients))
                return;
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(std::chrono::seconds{60});
            do {
                if (auto reply = client.Get("/"); reply && reply->status == 200)
                    ++pages;
            } while (!stopped_within(pause));
        });
    auto started = Clock::now();
    LoadedRate loaded;
    loaded.rate = measure();
    loaded.pages_per_second = static_cast<double>(pages.load()) / seconds_since(started);
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    stopping.notify_all();
    for (auto& client : clients)
        client.join();
    return loaded;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main() {
    const char* url = bench::bench_database_url();
    if (!url)
        return 2;
    const char* size = std::getenv("NEWSMON_BENCH_WEB_ARTICLES");
    long long count = size ? std::atoll(size) : 1'000'000;
    store::Store store{url};
    store::migrate(store.connection());
    config::Config config;
    for (std::size_t f = 0; f < k_feeds; ++f) {
        config::FeedConfig feed;
        feed.name = "Web bench feed " + std::to_string(f);
        feed.url = "https://bench.example.test/web/" + std::to_string(f);
        config.feeds.push_back(std::move(feed));
    }
    config.topics = {{"nato", "", {"NATO"}, {}, 1}, {"azerbaijan", "", {"Baku"}, {}, 1}};
    store.sync_feeds(config);
    store.sync_topics(config);
    auto feeds = store.enabled_feeds();
    auto started = Clock::now();
    preload(url, count);
    std::printf("archive of %lld articles over 30 days loaded in %.0f s\n", count,
                seconds_since(started));

    config.database.url = url;
    config.web.listen = "127.0.0.1:0";
    auto server = web::ApiServer::start(config);
    if (!server) {
        std::fprintf(stderr, "newsmon web: %s\n", server.error().c_str());
        return 1;
    }
    int port = (*server)->port();
    std::printf("%-52s %10s %10s\n", "GET (server and client on one machine)", "p50 ms", "p95 ms");
    auto report = [&](const std::string& path) {
        auto figures = time_path(port, path);
        std::printf("%-52s %10.1f %10.1f\n", path.c_str(), figures.p50, figures.p95);
        return figures;
    };
    auto stylesheet = report("/static/newsmon.css");
    report("/"); // as shipped: one rendering shared for [web] dashboard_cache
    auto counts = report("/api/v1/topics/nato/counts");
    report("/api/v1/topics/nato/counts?interval=hour&since=7d");
    report("/api/v1/stories");
    report("/search?q=security%20AND%20transport");
    report("/articles/1000");
    // The dashboard's own cost, rendered for every request as with [web] dashboard_cache = "0s".
    config::Config uncached = config;
    uncached.web.dashboard_cache = std::chrono::seconds{0};
    auto rendering = web::ApiServer::start(uncached);
    if (!rendering) {
        std::fprintf(stderr, "newsmon web: %s\n", rendering.error().c_str());
        return 1;
    }
    auto rendered = time_path((*rendering)->port(), "/");
    std::printf("%-52s %10.1f %10.1f\n", "/ rendered each time (dashboard_cache = \"0s\")",
                rendered.p50, rendered.p95);
    (*rendering)->stop();
    double group_by = group_by_counts_millis(url);
    std::printf("the same counts as a GROUP BY over the articles (before the rollups): %.0f ms\n",
                group_by);

    // Alone and with people reading, in turn, three times each: the rate varies from one
    // batch to the next by more than the difference looked for.
    std::vector<double> quiet_rates;
    std::vector<double> reader_rates;
    std::vector<double> reader_pages;
    for (int round = 0; round < 3; ++round) {
        quiet_rates.push_back(ingest_rate(store, feeds, "quiet" + std::to_string(round)));
        // People: each client loads the dashboard, reads it for a second, loads it again.
        auto people = with_clients(port, std::chrono::seconds{1}, [&] {
            return ingest_rate(store, feeds, "readers" + std::to_string(round));
        });
        reader_rates.push_back(people.rate);
        reader_pages.push_back(people.pages_per_second);
    }
    double quiet_rate = median(quiet_rates);
    LoadedRate readers{median(reader_rates), median(reader_pages)};
    // A stress test rather than people: every client asks again the moment it has its answer.
    auto flood = with_clients(port, std::chrono::seconds{0},
                              [&] { return ingest_rate(store, feeds, "flood"); });
    std::printf("write path, 6,000 articles, medians of 3: %.0f articles/s alone\n", quiet_rate);
    for (const auto& [name, load] : {std::pair{"reading 1 s between loads", readers},
                                     std::pair{"reloading at once (stress)", flood}})
        std::printf("  %.0f articles/s (%.0f%%) while %d clients %s: %.0f dashboards/s\n",
                    load.rate, 100 * load.rate / quiet_rate, k_clients, name,
                    load.pages_per_second);
    bench::summary_row("web: dashboard / rendered (dashboard_cache 0s) p95 at 1,000,000",
                       rendered.p95, "ms", "the stylesheet, no database", stylesheet.p95,
                       "< 200 ms");
    bench::summary_row("web: /api/v1/topics/nato/counts p95 at 1,000,000", counts.p95, "ms",
                       "the counts as a GROUP BY over articles", group_by, "< 200 ms");
    bench::summary_row("web: write path while 50 clients read /", readers.rate, "articles/s",
                       "the same with no client", quiet_rate, "unchanged");
    bench::summary_row("web: write path while 50 clients reload / at once", flood.rate,
                       "articles/s", "the same with no client", quiet_rate, "(stress, no target)");
    (*server)->stop();
    return 0;
}

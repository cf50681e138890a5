// One instance's poll cycles over 1,000 feeds of 30 items served on 127.0.0.1 by
// bench/feed_server: the first cycle (everything new: fetch, parse, tag, store) and a second
// where every feed answers 304; with the bare libcurl multi fetch of the same URLs, in the same
// run, as the ceiling. Needs $NEWSMON_BENCH_DATABASE_URL and $NEWSMON_BENCH_FEED_PORT.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/log.hpp"
#include "config/config.hpp"
#include "fetch/curl_handles.hpp"
#include "fetch/fetcher.hpp"
#include "service/poll_cycle.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "summary.hpp"
#include "tag/tagger.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;
constexpr int k_feeds = 1000;

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](timeval t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

struct Measure {
    double seconds = 0, cpu = 0;
};

template <class Work> Measure measure(Work&& work) {
    double cpu = cpu_seconds();
    auto started = Clock::now();
    work();
    return {std::chrono::duration<double>(Clock::now() - started).count(), cpu_seconds() - cpu};
}

void row(const char* name, const Measure& m, double feeds, double articles, const char* target) {
    std::printf("%-38s %8.2f %10.0f %12.0f %9.2f   %s\n", name, m.seconds, feeds / m.seconds,
                articles / m.seconds, m.cpu, target);
}

} // namespace

int main() {
    const char* url = std::getenv("NEWSMON_BENCH_DATABASE_URL");
    const char* port = std::getenv("NEWSMON_BENCH_FEED_PORT");
    if (!url || !port) {
        std::fprintf(
            stderr,
            "set NEWSMON_BENCH_DATABASE_URL and NEWSMON_BENCH_FEED_PORT (bench/run does)\n");
        return 2;
    }
    fetch::CurlGlobal curl;
    config::Config config;
    config.database.url = url;
    config.http.block_private = false;
    config.http.concurrency = 32;
    config.http.per_host = 32; // every feed is on 127.0.0.1
    config.log.level = "warn";
    log::setup(config.log.level, config.log.format, std::nullopt);
    auto loaded = config::load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    config.topics = loaded.config ? loaded.config->topics : std::vector<tag::TopicConfig>{};
    std::vector<fetch::FetchRequest> requests;
    for (int f = 0; f < k_feeds; ++f) {
        std::string feed_url =
            "http://127.0.0.1:" + std::string(port) + "/feed/" + std::to_string(f);
        config::FeedConfig feed;
        feed.name = "Bench " + std::to_string(f);
        feed.url = feed_url;
        config.feeds.push_back(std::move(feed));
        requests.push_back({feed_url, "bench", std::nullopt, std::nullopt});
    }
    store::Store store{url};
    store::migrate(store.connection());
    store.sync_feeds(config);
    store.sync_topics(config);
    auto tagger = tag::Tagger::compile(config.topics);
    fetch::Fetcher fetcher(fetch::FetcherLimits::from(config.http));

    // The ceiling: the same 1,000 URLs through a bare libcurl multi, bodies thrown away.
    fetch::Fetcher bare(fetch::FetcherLimits::from(config.http));
    auto bare_200 =
        measure([&] { bare.fetch_all(requests, [](std::size_t, fetch::FetchResult&&) {}); });
    for (int f = 0; f < k_feeds; ++f)
        requests[static_cast<std::size_t>(f)].etag = "\"v" + std::to_string(f) + "\"";
    auto bare_304 =
        measure([&] { bare.fetch_all(requests, [](std::size_t, fetch::FetchResult&&) {}); });

    service::CycleReport first_report, second_report;
    // As the daemon does: writer connections that store while fetching goes on
    // ($NEWSMON_BENCH_WRITERS, default 2; 0 stores in the fetch loop).
    int writer_count =
        std::getenv("NEWSMON_BENCH_WRITERS") ? std::atoi(std::getenv("NEWSMON_BENCH_WRITERS")) : 2;
    std::vector<std::unique_ptr<store::Store>> writers;
    std::vector<store::Store*> writer_pointers;
    for (int i = 0; i < writer_count; ++i) {
        writers.push_back(std::make_unique<store::Store>(url));
        writer_pointers.push_back(writers.back().get());
    }
    auto cycle = [&](service::CycleReport& report) {
        service::PollCycle poll(config, store, *tagger, fetcher, nullptr, nullptr, writer_pointers);
        report = poll.run(store.claim_feeds("bench", std::chrono::minutes{10}, k_feeds + 1, false));
    };
    auto first = measure([&] { cycle(first_report); });
    auto second = measure([&] { cycle(second_report); });

    std::printf("poll cycles over %d feeds of 30 items (3-8 KB of article HTML each), one "
                "instance, %d writer connection(s)\n",
                k_feeds, writer_count);
    std::printf("%-38s %8s %10s %12s %9s   %s\n", "workload", "seconds", "feeds/s", "articles/s",
                "cpu s", "target");
    row("first cycle: fetch, parse, tag, store", first, k_feeds,
        static_cast<double>(first_report.articles_new), "< 12 s for 30,000 articles");
    row("second cycle: every feed 304", second, k_feeds, 0, ">= 500 feeds/s");
    row("bare libcurl multi, 200 (ceiling)", bare_200, k_feeds, 0, "-");
    row("bare libcurl multi, 304 (ceiling)", bare_304, k_feeds, 0, "-");
    std::printf("articles stored: %zu (expected 30000); failed feeds: %zu + %zu; 304s: %zu\n",
                first_report.articles_new, first_report.failed, second_report.failed,
                second_report.not_modified);
    std::printf("peak RSS: %ld MB (target < 100 MB)\n", peak_rss_mb());
    bench::summary_row("poll: first cycle, 1,000 feeds, 30,000 articles", first.seconds, "s", "-",
                       0, "< 12 s");
    bench::summary_row("poll: second cycle, every feed 304", k_feeds / second.seconds, "feeds/s",
                       "bare libcurl multi, 304", k_feeds / bare_304.seconds, ">= 500 feeds/s");
    bench::summary_row("poll: peak RSS", static_cast<double>(peak_rss_mb()), "MB", "-", 0,
                       "< 100 MB");
    return first_report.articles_new == 30000 ? 0 : 1;
}

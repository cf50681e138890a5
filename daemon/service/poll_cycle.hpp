// One pass over a set of feeds: fetch them concurrently, parse and tag each, store each in its
// own transaction with its next poll time, and log one line per feed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "base/metrics.hpp"
#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "store/spool.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

struct CycleReport {
    std::size_t feeds = 0;
    std::size_t failed = 0;
    std::size_t not_modified = 0; // 304, or the same bytes as last time
    std::size_t articles_new = 0;
    std::size_t articles_updated = 0;
    std::vector<std::int64_t> cancelled; // feeds not polled because of shutdown
    std::size_t spooled = 0;             // polls kept on disk: the database was away
    bool database_away = false;          // it went away during the cycle
};

class PollCycle {
public:
    // `metrics` and `spool` may be null (one-off commands count nothing). With a spool, a poll
    // that cannot be stored because the database went away is kept there, to be stored when it
    // returns. With `writers`, polls are stored on them, in parallel with fetching and with each
    // other (one thread each, fed through a bounded queue), instead of on `store` in the fetch
    // loop.
    PollCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger,
              fetch::Fetcher& fetcher, base::Metrics* metrics = nullptr,
              store::Spool* spool = nullptr, std::vector<store::Store*> writers = {});

    CycleReport run(const std::vector<store::FeedRow>& feeds,
                    const fetch::Fetcher::Cancelled& cancelled = nullptr);

private:
    // A feed whose page advertised another URL, to be fetched in the same poll.
    struct Discovery {
        std::size_t feed; // index into the cycle's feeds
        std::string url;
        std::vector<std::string> visited; // in this poll, never fetched again
    };
    using Deliver =
        std::function<void(std::size_t feed, store::FeedPoll&&, std::chrono::milliseconds)>;

    // Turns one fetch result into what the store records; never throws on bad input. A page
    // that advertises a feed sets `discovered` and leaves the poll unscheduled.
    store::FeedPoll interpret(const store::FeedRow& feed, fetch::FetchResult& result,
                              std::string& discovered);
    // Parses and tags a 200 body into `poll`; false when it is no feed.
    bool read_feed(const store::FeedRow& feed, const config::FeedConfig* settings,
                   const fetch::FetchResult& result, store::FeedPoll& poll,
                   std::string& discovered);
    // Fetches one round of discovered URLs (`hop` of at most k_max_discovery_hops), delivering
    // each finished poll; `pending` becomes the next round.
    void follow_discoveries(const std::vector<store::FeedRow>& feeds,
                            std::vector<Discovery>& pending, int hop, const Deliver& deliver,
                            CycleReport& report, const fetch::Fetcher::Cancelled& cancelled);
    void schedule(const store::FeedRow& feed, const config::FeedConfig* settings,
                  const fetch::FetchResult& result, store::FeedPoll& poll,
                  std::optional<int> feed_ttl_minutes);
    // Stores one interpreted poll on `store` (spooling it when the database is away), then
    // counts and logs it. Safe to call from several threads, each with its own store.
    void store_poll(store::Store& store, const store::FeedRow& feed, store::FeedPoll& poll,
                    std::chrono::milliseconds elapsed, CycleReport& report);
    // Keeps a poll the database could not take in the spool; a spool that cannot take it
    // either loses it (the feed is polled again later) but never the process.
    void spool(const store::FeedRow& feed, const store::FeedPoll& poll,
               const std::exception& database_error, CycleReport& report);
    void count(const store::FeedPoll& poll, const store::PollOutcome& outcome) const;
    void log_outcome(const store::FeedRow& feed, const store::FeedPoll& poll,
                     std::chrono::milliseconds elapsed, const store::PollOutcome& outcome) const;
    const config::FeedConfig* configured(const std::string& url) const;

    const config::Config& m_config;
    store::Store& m_store;
    const tag::Tagger& m_tagger;
    fetch::Fetcher& m_fetcher;
    base::Metrics* m_metrics;
    store::Spool* m_spool;
    std::vector<store::Store*> m_writers;
    std::mutex m_report_mutex;
    std::mt19937 m_random{std::random_device{}()};
};

} // namespace newsmon::service

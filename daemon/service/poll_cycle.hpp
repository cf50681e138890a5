// One pass over a set of feeds: fetch them concurrently, parse each, store each in its own
// transaction, and log one line per feed.
#pragma once

#include <cstddef>
#include <vector>

#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

struct CycleReport {
    std::size_t feeds = 0;
    std::size_t failed = 0;
    std::size_t not_modified = 0;
    std::size_t articles_new = 0;
    std::size_t articles_updated = 0;
};

class PollCycle {
public:
    PollCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger);

    CycleReport run(const std::vector<store::FeedRow>& feeds,
                    const fetch::Fetcher::Cancelled& cancelled = nullptr);

private:
    // Turns one fetch result into what the store records; never throws on bad input.
    store::FeedPoll interpret(const store::FeedRow& feed, fetch::FetchResult& result) const;
    const config::FeedConfig* configured(const std::string& url) const;

    const config::Config& m_config;
    store::Store& m_store;
    const tag::Tagger& m_tagger;
};

} // namespace newsmon::service

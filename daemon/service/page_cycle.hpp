// One round of article pages: claim the due ones, fetch them through the daemon's fetcher
// (its politeness, limits and User-Agent, conditional GET), extract the story, re-tag the
// article and match it against the alert rules, all stored in one transaction per page. A page
// that fails leaves the article with its feed text, to be tried again later.
#pragma once

#include <cstddef>

#include "base/metrics.hpp"
#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "store/page_store.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

struct PageReport {
    std::size_t claimed = 0;
    std::size_t stored = 0;    // text extracted and stored
    std::size_t unchanged = 0; // 304
    std::size_t failed = 0;    // to be retried, or out of attempts
};

class PageCycle {
public:
    // After this many attempts a page is given up on (page_status = 'failed').
    static constexpr int k_max_attempts = 4;

    // `metrics` may be null.
    PageCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger,
              fetch::Fetcher& fetcher, base::Metrics* metrics = nullptr);

    // Fetches up to `limit` due pages.
    PageReport run(int limit, const fetch::Fetcher::Cancelled& cancelled = nullptr);

private:
    void handle(const store::PageJob& job, fetch::FetchResult& result, PageReport& report);
    void fail(const store::PageJob& job, const std::string& error, PageReport& report,
              const std::optional<store::ArchivedBody>& archived = std::nullopt);

    const config::Config& m_config;
    store::Store& m_store;
    const tag::Tagger& m_tagger;
    fetch::Fetcher& m_fetcher;
    base::Metrics* m_metrics;
};

} // namespace newsmon::service

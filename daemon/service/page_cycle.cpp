#include "service/page_cycle.hpp"

#include "service/archived_body.hpp"

#include "base/log.hpp"
#include "newsmon/parsers/article.hpp"
#include "store/page_store.hpp"
#include "store/redact.hpp"
#include "tag/article_text.hpp"
#include "tag/language_detector.hpp"

namespace newsmon::service {
namespace {

// A claimed page not stored within this long (the process died) is fetched again.
constexpr std::chrono::minutes k_lease{10};
// The first retry of a failed page; each further one waits twice as long.
constexpr std::chrono::minutes k_first_retry{5};

} // namespace

PageCycle::PageCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger,
                     fetch::Fetcher& fetcher, base::Metrics* metrics)
    : m_config(config), m_store(store), m_tagger(tagger), m_fetcher(fetcher), m_metrics(metrics) {}

PageReport PageCycle::run(int limit, const fetch::Fetcher::Cancelled& cancelled) {
    PageReport report;
    for (const auto& url : store::fail_unfinished_pages(m_store.connection(), k_max_attempts)) {
        ++report.failed;
        if (m_metrics)
            m_metrics->add("newsmon_pages_total", {{"outcome", "failed"}});
        log::warn("page given up", {log::field("url", url), log::field("attempts", k_max_attempts),
                                    log::field("error", "the last attempt never finished")});
    }
    auto jobs = store::claim_pages(m_store.connection(), limit, k_lease, k_max_attempts);
    report.claimed = jobs.size();
    if (jobs.empty())
        return report;
    std::vector<fetch::FetchRequest> requests;
    for (const auto& job : jobs) {
        const std::string* user_agent = &m_config.http.user_agent;
        for (const auto& feed : m_config.feeds)
            if (feed.url == job.feed_url)
                user_agent = &m_config.user_agent_of(feed);
        requests.push_back({job.url, *user_agent, job.etag, job.last_modified});
    }
    std::vector<std::int64_t> cancelled_ids;
    m_fetcher.fetch_all(
        requests,
        [&](std::size_t index, fetch::FetchResult&& result) {
            if (result.error == "cancelled") {
                cancelled_ids.push_back(jobs[index].article_id);
                return;
            }
            try {
                handle(jobs[index], result, report);
            } catch (const std::exception& error) {
                // The database went away: the lease runs out and the page is fetched again.
                log::warn("page not stored",
                          {log::field("url", jobs[index].url),
                           log::field("error", store::redact_passwords(error.what()))});
            }
        },
        cancelled);
    if (!cancelled_ids.empty()) // given back as they were, to be fetched in a later round
        store::release_pages(m_store.connection(), cancelled_ids);
    return report;
}

void PageCycle::handle(const store::PageJob& job, fetch::FetchResult& result, PageReport& report) {
    if (result.not_modified()) {
        store::record_page_unchanged(m_store.connection(), job);
        ++report.unchanged;
        return;
    }
    if (!result.ok()) {
        fail(job,
             result.transport_ok() ? "HTTP status " + std::to_string(result.status) : result.error,
             report);
        return;
    }
    // kept even when no text is found in it: a better extractor may find some
    auto archived = archived_body(m_config, result);
    auto page = parsers::extract_article(result.body, {result.effective_url, result.content_type});
    if (!page || page->content_text.empty()) {
        fail(job, page ? "no article text in the page" : page.error().message, report, archived);
        return;
    }
    std::string body = tag::article_body(job.summary, page->content_text);
    auto language = tag::article_language(job.language.empty() ? page->language : job.language,
                                          job.title, body);
    auto topics = m_tagger.topics_of(job.title, body, tag::language_of(language.code));
    auto rules = m_store.alert_rules();
    store::record_page(m_store.connection(), job, *page, topics, result.etag, result.last_modified,
                       {rules.get(), m_store.alert_horizon()}, archived);
    ++report.stored;
    if (m_metrics)
        m_metrics->add("newsmon_pages_total", {{"outcome", "stored"}});
    log::debug("page stored",
               {log::field("url", job.url), log::field("chars", page->content_text.size()),
                log::field("topics", topics.size())});
}

void PageCycle::fail(const store::PageJob& job, const std::string& error, PageReport& report,
                     const std::optional<store::ArchivedBody>& archived) {
    store::record_page_failure(m_store.connection(), job, error, k_max_attempts, k_first_retry,
                               archived);
    ++report.failed;
    if (m_metrics)
        m_metrics->add("newsmon_pages_total", {{"outcome", "failed"}});
    log::warn("page fetch failed", {log::field("url", job.url), log::field("attempt", job.attempts),
                                    log::field("error", error)});
}

} // namespace newsmon::service

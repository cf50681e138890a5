#include "service/poll_cycle.hpp"

#include <algorithm>
#include <thread>

#include "service/archived_body.hpp"
#include "service/bounded_queue.hpp"
#include "service/feed_articles.hpp"

#include "base/log.hpp"
#include "newsmon/parsers/feed.hpp"
#include "newsmon/parsers/text.hpp"
#include "schedule/schedule.hpp"
#include "store/redact.hpp"

namespace newsmon::service {
namespace {

// Discovery fetches within one poll: the configured page, then at most this many advertised
// URLs (page -> page -> feed), never one already visited in the poll.
constexpr int k_max_discovery_hops = 2;

} // namespace

PollCycle::PollCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger,
                     fetch::Fetcher& fetcher, base::Metrics* metrics, store::Spool* spool,
                     std::vector<store::Store*> writers)
    : m_config(config), m_store(store), m_tagger(tagger), m_fetcher(fetcher), m_metrics(metrics),
      m_spool(spool), m_writers(std::move(writers)) {}

void PollCycle::count(const store::FeedPoll& poll, const store::PollOutcome& outcome) const {
    if (!m_metrics)
        return;
    std::string_view outcome_label = poll.error ? "failed" : poll.unchanged ? "unchanged" : "ok";
    m_metrics->add("newsmon_polls_total", {{"outcome", outcome_label}});
    if (poll.http_status != 0)
        m_metrics->add("newsmon_http_responses_total",
                       {{"status", std::to_string(poll.http_status)}});
    m_metrics->add("newsmon_fetched_bytes_total", {}, static_cast<double>(poll.bytes));
    m_metrics->add("newsmon_articles_total", {{"kind", "new"}}, outcome.items_new);
    m_metrics->add("newsmon_articles_total", {{"kind", "updated"}}, outcome.items_updated);
    m_metrics->add("newsmon_alert_matches_total", {}, outcome.alerts_matched);
    for (const auto& [topic, hits] : outcome.topic_hits)
        m_metrics->add("newsmon_topic_hits_total", {{"topic", topic}}, hits);
    if (!poll.error) {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        m_metrics->set(
            "newsmon_last_successful_poll_timestamp_seconds",
            static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
    }
}

const config::FeedConfig* PollCycle::configured(const std::string& url) const {
    for (const auto& feed : m_config.feeds)
        if (feed.url == url)
            return &feed;
    return nullptr;
}

bool PollCycle::read_feed(const store::FeedRow& feed, const config::FeedConfig* settings,
                          const fetch::FetchResult& result, store::FeedPoll& poll,
                          std::string& discovered) {
    auto parsed = parsers::parse_feed(
        result.body, feed_parse_options(settings, result.effective_url, result.content_type));
    if (!parsed) {
        const auto& advertised = parsed.error().advertised_feeds;
        if (!advertised.empty() && advertised.front() != feed.fetch_url) {
            // A page that names its feed: fetched next in this same poll (PollCycle::run).
            discovered = advertised.front();
            log::info("feed discovered",
                      {log::field("feed", feed.url), log::field("page", result.effective_url),
                       log::field("discovered", advertised.front())});
            return true;
        }
        poll.error = "not a usable feed: " + parsed.error().message;
        return false;
    }
    poll.items_seen = parsed->items.size();
    poll.articles = feed_articles(*parsed, m_config, settings, m_tagger);
    if (!parsed->link.empty())
        poll.site_url = parsed->link;
    for (const auto& warning : parsed->warnings)
        log::warn("feed warning", {log::field("feed", feed.url), log::field("warning", warning)});
    schedule(feed, settings, result, poll, parsed->ttl_minutes);
    return true;
}

void PollCycle::schedule(const store::FeedRow& feed, const config::FeedConfig* settings,
                         const fetch::FetchResult& result, store::FeedPoll& poll,
                         std::optional<int> feed_ttl_minutes) {
    config::PollInterval interval =
        settings ? m_config.interval_of(*settings) : m_config.defaults.interval;
    schedule::PollFacts facts;
    facts.interval = interval.fixed;
    if (interval.automatic && !poll.error) {
        auto published = m_store.recent_publications(feed.id, 20);
        for (const auto& article : poll.articles)
            if (article.item.published)
                published.push_back(*article.item.published);
        std::sort(published.rbegin(), published.rend());
        published.resize(std::min<std::size_t>(published.size(), 20));
        facts.interval =
            schedule::adaptive_interval(published, m_config.defaults.min_interval,
                                        m_config.defaults.max_interval, interval.fixed);
    }
    facts.failed = poll.error.has_value();
    facts.consecutive_failures = facts.failed ? feed.consecutive_failures + 1 : 0;
    facts.max_backoff = m_config.defaults.max_backoff;
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if ((result.status == 429 || result.status == 503) && result.retry_after)
        facts.retry_after = schedule::parse_retry_after(*result.retry_after, now);
    if (result.cache_control)
        facts.max_age = schedule::parse_max_age(*result.cache_control);
    if (feed_ttl_minutes)
        facts.feed_ttl = std::chrono::minutes{*feed_ttl_minutes};
    std::uniform_real_distribution<double> jitter(-1.0, 1.0);
    poll.next_poll_in = schedule::next_delay(facts, jitter(m_random));
}

store::FeedPoll PollCycle::interpret(const store::FeedRow& feed, fetch::FetchResult& result,
                                     std::string& discovered) {
    const config::FeedConfig* settings = configured(feed.url);
    store::FeedPoll poll;
    poll.feed_id = feed.id;
    poll.started_at = std::chrono::system_clock::now() - result.elapsed;
    poll.duration = result.elapsed;
    poll.http_status = result.status;
    poll.bytes = result.body.size();
    if (!result.transport_ok())
        poll.error = result.error;
    else if (!result.ok() && !result.not_modified())
        poll.error = "HTTP status " + std::to_string(result.status);
    poll.unchanged = result.not_modified();
    if (result.ok()) {
        if (result.permanent_redirect && result.effective_url != feed.fetch_url) {
            poll.fetch_url = result.effective_url;
            log::info("feed moved",
                      {log::field("feed", feed.url), log::field("from", feed.fetch_url),
                       log::field("to", result.effective_url)});
        }
        poll.etag = result.etag;
        poll.last_modified = result.last_modified;
        poll.body_hash = parsers::change_digest_hex(result.body);
        poll.unchanged = feed.body_hash && *feed.body_hash == *poll.body_hash;
        if (!poll.unchanged) { // the same bytes again are no news: no parse, no writes
            // kept even when it reads as no feed: a better parser may read it
            poll.archived = archived_body(m_config, result, poll.body_hash);
            if (read_feed(feed, settings, result, poll, discovered))
                return poll; // scheduled by read_feed, or discovered (the caller goes on)
        }
    }
    schedule(feed, settings, result, poll, std::nullopt);
    return poll;
}

void PollCycle::log_outcome(const store::FeedRow& feed, const store::FeedPoll& poll,
                            std::chrono::milliseconds elapsed,
                            const store::PollOutcome& outcome) const {
    if (poll.error) {
        log::warn("fetch failed",
                  {log::field("feed", feed.url), log::field("status", poll.http_status),
                   log::field("ms", elapsed.count()), log::field("error", *poll.error),
                   log::field("next_s", poll.next_poll_in.count() / 1000)});
        return;
    }
    log::info("fetch done",
              {log::field("feed", feed.url), log::field("status", poll.http_status),
               log::field("bytes", poll.bytes), log::field("ms", elapsed.count()),
               log::field("items", poll.items_seen), log::field("new", outcome.items_new),
               log::field("updated", outcome.items_updated),
               log::field("next_s", poll.next_poll_in.count() / 1000)});
}

void PollCycle::spool(const store::FeedRow& feed, const store::FeedPoll& poll,
                      const std::exception& database_error, CycleReport& report) {
    std::string problem = store::redact_passwords(database_error.what());
    try {
        m_spool->put(poll); // stored, with its validators, when the database returns
    } catch (const std::exception& error) {
        // Lost, not fatal: the feed keeps its old validators and schedule, so its lease runs
        // out and it is polled again once the database is back.
        log::error("poll lost: the database is away and the spool cannot keep it",
                   {log::field("feed", feed.url), log::field("error", problem),
                    log::field("spool_error", error.what())});
        if (m_metrics)
            m_metrics->add("newsmon_spool_write_failures_total");
        std::lock_guard lock(m_report_mutex);
        report.database_away = true;
        ++report.failed;
        return;
    }
    log::warn("poll spooled", {log::field("feed", feed.url), log::field("error", problem)});
    std::lock_guard lock(m_report_mutex);
    report.database_away = true;
    ++report.spooled;
}

void PollCycle::store_poll(store::Store& store, const store::FeedRow& feed, store::FeedPoll& poll,
                           std::chrono::milliseconds elapsed, CycleReport& report) {
    try {
        auto outcome = store.record_poll(poll);
        count(poll, outcome);
        log_outcome(feed, poll, elapsed, outcome);
        std::lock_guard lock(m_report_mutex);
        report.articles_new += static_cast<std::size_t>(outcome.items_new);
        report.articles_updated += static_cast<std::size_t>(outcome.items_updated);
        report.failed += poll.error ? 1U : 0U;
        report.not_modified += poll.unchanged ? 1U : 0U;
    } catch (const std::exception& error) {
        if (m_spool && store::database_is_away(store, error)) {
            spool(feed, poll, error, report);
            return;
        }
        log::error("store failed", {log::field("feed", feed.url),
                                    log::field("error", store::redact_passwords(error.what()))});
        std::lock_guard lock(m_report_mutex);
        ++report.failed;
    }
}

CycleReport PollCycle::run(const std::vector<store::FeedRow>& feeds,
                           const fetch::Fetcher::Cancelled& cancelled) {
    std::vector<fetch::FetchRequest> requests;
    requests.reserve(feeds.size());
    for (const auto& feed : feeds) {
        const config::FeedConfig* settings = configured(feed.url);
        requests.push_back({feed.fetch_url,
                            settings ? m_config.user_agent_of(*settings) : m_config.http.user_agent,
                            feed.etag, feed.last_modified});
    }
    CycleReport report;
    report.feeds = feeds.size();
    struct Work {
        std::size_t feed;
        store::FeedPoll poll;
        std::chrono::milliseconds elapsed;
    };
    BoundedQueue<Work> queue(2 * std::max<std::size_t>(m_writers.size(), 1));
    std::vector<std::thread> workers;
    for (store::Store* writer : m_writers)
        workers.emplace_back([&, writer] {
            while (auto work = queue.pop())
                store_poll(*writer, feeds[work->feed], work->poll, work->elapsed, report);
        });
    auto deliver = [&](std::size_t index, store::FeedPoll&& poll,
                       std::chrono::milliseconds elapsed) {
        if (workers.empty())
            store_poll(m_store, feeds[index], poll, elapsed, report);
        else
            queue.push({index, std::move(poll), elapsed}); // waits while writers are busy
    };
    std::vector<Discovery> pending;
    m_fetcher.fetch_all(
        requests,
        [&](std::size_t index, fetch::FetchResult&& result) {
            const store::FeedRow& feed = feeds[index];
            if (result.error == "cancelled") {
                std::lock_guard lock(m_report_mutex);
                report.cancelled.push_back(feed.id);
                return; // shutting down: nothing about this feed changes
            }
            std::string discovered;
            store::FeedPoll poll = interpret(feed, result, discovered);
            if (!discovered.empty()) {
                pending.push_back({index, discovered, {feed.fetch_url, result.effective_url}});
                return;
            }
            deliver(index, std::move(poll), result.elapsed);
        },
        cancelled);
    for (int hop = 1; !pending.empty(); ++hop)
        follow_discoveries(feeds, pending, hop, deliver, report, cancelled);
    queue.close();
    for (auto& worker : workers)
        worker.join();
    return report;
}

void PollCycle::follow_discoveries(const std::vector<store::FeedRow>& feeds,
                                   std::vector<Discovery>& round, int hop, const Deliver& deliver,
                                   CycleReport& report,
                                   const fetch::Fetcher::Cancelled& cancelled) {
    std::vector<fetch::FetchRequest> requests;
    for (const auto& discovery : round) {
        const config::FeedConfig* settings = configured(feeds[discovery.feed].url);
        requests.push_back({discovery.url,
                            settings ? m_config.user_agent_of(*settings) : m_config.http.user_agent,
                            std::nullopt, std::nullopt});
    }
    std::vector<Discovery> next_round;
    m_fetcher.fetch_all(
        requests,
        [&](std::size_t index, fetch::FetchResult&& result) {
            Discovery& discovery = round[index];
            // Always parsed (the stored body hash is another URL's), and a page that points
            // back at the one that led here is a loop.
            store::FeedRow feed = feeds[discovery.feed];
            feed.body_hash.reset();
            feed.fetch_url = discovery.url;
            if (result.error == "cancelled") {
                std::lock_guard lock(m_report_mutex);
                report.cancelled.push_back(feed.id);
                return;
            }
            std::string discovered;
            store::FeedPoll poll = interpret(feed, result, discovered);
            if (discovered.empty()) {
                if (!poll.error && !poll.fetch_url)
                    poll.fetch_url = discovery.url; // the feed's address from now on
                deliver(discovery.feed, std::move(poll), result.elapsed);
                return;
            }
            discovery.visited.push_back(discovery.url);
            discovery.visited.push_back(result.effective_url);
            bool seen = std::find(discovery.visited.begin(), discovery.visited.end(), discovered) !=
                        discovery.visited.end();
            if (!seen && hop < k_max_discovery_hops) {
                next_round.push_back({discovery.feed, discovered, std::move(discovery.visited)});
                return;
            }
            poll.fetch_url.reset();
            poll.error = seen ? "feed discovery: pages that advertise each other, no feed"
                              : "feed discovery: no feed within " +
                                    std::to_string(k_max_discovery_hops) + " advertised pages";
            schedule(feed, configured(feed.url), result, poll, std::nullopt);
            deliver(discovery.feed, std::move(poll), result.elapsed);
        },
        cancelled);
    round = std::move(next_round);
}

} // namespace newsmon::service

#include "service/pipeline.hpp"

#include <algorithm>
#include <stdexcept>

#include "alerts/rule_store.hpp"
#include "base/log.hpp"
#include "service/systemd_notify.hpp"
#include "store/migrations.hpp"
#include "store/redact.hpp"
#include "store/topic_rollups.hpp"

namespace newsmon::service {
namespace {

tag::Tagger compile_topics(const config::Config& config) {
    auto tagger = tag::Tagger::compile(config.topics);
    if (!tagger) // load_config validates every term, so this is a programming error
        throw std::logic_error("topics passed validation but do not compile: " + tagger.error());
    return std::move(*tagger);
}

} // namespace

Pipeline::Pipeline(config::Config config, base::Metrics* metrics)
    : m_config(std::move(config)), m_tagger(compile_topics(m_config)), m_metrics(metrics),
      m_fetcher(fetch::FetcherLimits::from(m_config.http)) {}

void Pipeline::reconfigure(config::Config config) {
    m_tagger = compile_topics(config);
    m_config = std::move(config);
    m_fetcher.set_limits(fetch::FetcherLimits::from(m_config.http));
}

std::unique_ptr<store::Store> Pipeline::open_store() {
    auto store = std::make_unique<store::Store>(m_config.database.url);
    store->use_story_window(story_window());
    if (m_config.database.migrate) {
        SystemdKeepalive keepalive("applying database migrations");
        int applied = store::migrate(store->connection());
        if (applied > 0)
            log::info("migrations applied", {log::field("count", applied)});
    }
    sync_config(*store);
    // Before the first article is stored; the daemon's alert thread keeps them current after.
    m_alert_rules.replace(alerts::load_rules(store->connection()).rules);
    store->use_alert_rules(&m_alert_rules, alert_horizon());
    return store;
}

std::vector<std::unique_ptr<store::Store>> Pipeline::open_writers() {
    std::vector<std::unique_ptr<store::Store>> writers;
    for (int i = 0; i < k_writers; ++i) {
        auto& store = writers.emplace_back(std::make_unique<store::Store>(m_config.database.url));
        store->use_story_window(story_window());
        store->use_alert_rules(&m_alert_rules, alert_horizon());
    }
    return writers;
}

std::chrono::seconds Pipeline::alert_horizon() const {
    return std::chrono::duration_cast<std::chrono::seconds>(m_config.retention.alert_deliveries);
}

std::chrono::seconds Pipeline::story_window() const {
    return std::chrono::duration_cast<std::chrono::seconds>(m_config.stories.window);
}

void Pipeline::sync_config(store::Store& store) const {
    store.sync_feeds(m_config);
    store.sync_topics(m_config);
}

PollCycle Pipeline::poll_cycle(store::Store& store, store::Spool* spool,
                               const std::vector<std::unique_ptr<store::Store>>& writers) {
    std::vector<store::Store*> borrowed;
    for (const auto& writer : writers)
        borrowed.push_back(writer.get());
    return PollCycle(m_config, store, m_tagger, m_fetcher, m_metrics, spool, std::move(borrowed));
}

PageCycle Pipeline::page_cycle(store::Store& store) {
    return PageCycle(m_config, store, m_tagger, m_fetcher, m_metrics);
}

PollOnceReport poll_once(Pipeline& pipeline, store::Store& store, const std::string& owner,
                         const fetch::Fetcher::Cancelled& cancelled) {
    const auto& config = pipeline.config();
    PollOnceReport report;
    auto feeds = store.claim_feeds(owner, config.daemon.lease,
                                   static_cast<int>(config.feeds.size()) + 1, false);
    auto writers = pipeline.open_writers();
    report.feeds = pipeline.poll_cycle(store, nullptr, writers).run(feeds, cancelled);
    store.release_feeds(owner, report.feeds.cancelled);
    auto pages = pipeline.page_cycle(store);
    int batch = std::max(config.http.concurrency * 2, 32);
    for (int round = 0; round < 1000; ++round) {
        if (cancelled && cancelled())
            break;
        auto done = pages.run(batch, cancelled);
        report.pages.claimed += done.claimed;
        report.pages.stored += done.stored;
        report.pages.unchanged += done.unchanged;
        report.pages.failed += done.failed;
        if (done.claimed == 0)
            break;
    }
    if (!(cancelled && cancelled()))
        report.spikes = alerts::evaluate_spike_rules(store.connection());
    try {
        (void)store::fold_topic_rollups(store.connection());
    } catch (const std::exception& error) {
        // the deltas stay, and readers count them; the next fold takes them
        log::error("topic rollups fold failed",
                   {log::field("error", store::redact_passwords(error.what()))});
    }
    return report;
}

} // namespace newsmon::service

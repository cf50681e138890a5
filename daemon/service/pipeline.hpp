// The fetch -> parse -> tag -> store pipeline, wired in one place. The daemon, `poll --once` and
// the integration tests all build it here, so what they run is what users run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alerts/spike_evaluator.hpp"
#include "base/metrics.hpp"
#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "rules/rule_set.hpp"
#include "service/page_cycle.hpp"
#include "service/poll_cycle.hpp"
#include "store/spool.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

class Pipeline {
public:
    // Writer connections: the database's work per article (full-text vectors, indexes) then
    // runs on several cores while this thread fetches, parses and tags.
    static constexpr int k_writers = 2;

    // `config` must have passed validation (its topics compile); `metrics` may be null (one-off
    // commands count nothing). Cycles keep references into the pipeline: it does not move.
    explicit Pipeline(config::Config config, base::Metrics* metrics = nullptr);
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // A reloaded config: topics recompiled, the fetcher's limits updated.
    void reconfigure(config::Config config);

    // A connection ready for the pipeline: migrated when the config says so, its feeds and
    // topics synced, and the alert rules loaded into the live set it matches against.
    [[nodiscard]] std::unique_ptr<store::Store> open_store();
    // The connections that store polls in parallel with fetching and with each other, in `run`
    // and `poll --once` alike (k_writers of them), matching against the same live rules.
    [[nodiscard]] std::vector<std::unique_ptr<store::Store>> open_writers();
    // After a reload: the feeds and topics of the new config into the database.
    void sync_config(store::Store& store) const;

    // One pass over feeds, stored on `writers` while fetching goes on, or on `store` in the
    // fetch loop when there are none (spooled to `spool` when the database goes away).
    [[nodiscard]] PollCycle
    poll_cycle(store::Store& store, store::Spool* spool = nullptr,
               const std::vector<std::unique_ptr<store::Store>>& writers = {});
    // One round of article pages, stored on `store`.
    [[nodiscard]] PageCycle page_cycle(store::Store& store);

    [[nodiscard]] const config::Config& config() const { return m_config; }
    [[nodiscard]] const tag::Tagger& tagger() const { return m_tagger; }
    [[nodiscard]] rules::LiveRules& alert_rules() { return m_alert_rules; }

private:
    [[nodiscard]] std::chrono::seconds story_window() const;
    [[nodiscard]] std::chrono::seconds alert_horizon() const;
    config::Config m_config;
    tag::Tagger m_tagger;
    base::Metrics* m_metrics;
    fetch::Fetcher m_fetcher; // one connection cache for the pipeline's life
    rules::LiveRules m_alert_rules;
};

// What `poll --once` did.
struct PollOnceReport {
    CycleReport feeds;
    PageReport pages;
    alerts::SpikeRound spikes;
};

// `poll --once`: every enabled feed once, stored on the pipeline's writer connections as the
// daemon stores them, then the pages of teaser items until none is due (a failed one waits for
// its retry), then the spike rules, as the daemon evaluates them after a cycle; on `store` as
// `owner`. `cancelled` ends it early.
PollOnceReport poll_once(Pipeline& pipeline, store::Store& store, const std::string& owner,
                         const fetch::Fetcher::Cancelled& cancelled = nullptr);

} // namespace newsmon::service

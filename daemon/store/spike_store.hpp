// Spike rules' data: their hits (a row per rule and matching article, counted per window), the
// fill of a new rule's history from stored articles, and the evaluation that locks a rule's
// state, counts, lets the detector decide, and queues one delivery per episode.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "rules/rule_set.hpp"

namespace newsmon::store {

struct SpikeRuleRow {
    std::int64_t id = 0;
    std::string name;
    std::chrono::seconds window{0};
    std::chrono::seconds baseline{0};
    int min_count = 0;
};

// The enabled spike rules the daemon can use (no last_error), by id.
[[nodiscard]] std::vector<SpikeRuleRow> enabled_spike_rules(pqxx::connection& connection);

// Records, in the article's transaction, that spike rules matched it: (rule id, article id)
// pairs; a pair stored before is updated to the article's story and time.
void record_spike_hits(pqxx::work& tx, const std::vector<std::int64_t>& rule_ids,
                       const std::vector<std::int64_t>& article_ids);

// Fills the hits of rule `rule_id` from the articles (not duplicates) published within `since`,
// matched against `rules` (holding that rule), a batch per transaction, and starts the rule's
// history at the oldest time filled. Returns the hits recorded.
long long fill_spike_hits(pqxx::connection& connection, std::int64_t rule_id,
                          const rules::RuleSet& rules, std::chrono::seconds since);

// When the oldest stored article was published (seconds since the epoch); nullopt when none is.
[[nodiscard]] std::optional<std::int64_t> archive_start(pqxx::connection& connection);

// What the detector is given: distinct stories per window, newest first (see
// signals::SpikeSeries), and the rule's state.
struct SpikeCounts {
    std::vector<double> counts;
    int windows_per_day = 0;
    int windows_into_day = 0;
    int history_days = 0;
    bool in_episode = false;
};

struct SpikeDecision {
    bool fire = false;
    bool in_episode = false;
    double count = 0, expected = 0, ratio = 0, p_value = 1;
};

struct SpikeOutcome {
    SpikeDecision decision;
    bool delivered = false; // a delivery was queued (false also when the episode had one)
    std::string episode_key;
};

struct SpikeEvaluation {
    SpikeRuleRow rule;
    SpikeOutcome outcome;
};

using SpikeDecide = std::function<SpikeDecision(const SpikeRuleRow&, const SpikeCounts&)>;

// Evaluates the rules at `as_of` (default: the database's now) in one transaction: their
// states locked (the rules another instance holds at the moment are skipped), every window
// counted in one statement, `decide` asked per rule, a delivery queued per episode begun, the
// states written. Returns the rules evaluated.
std::vector<SpikeEvaluation>
evaluate_spike_rules(pqxx::connection& connection, const std::vector<SpikeRuleRow>& rules,
                     std::optional<std::chrono::system_clock::time_point> as_of,
                     const SpikeDecide& decide);

} // namespace newsmon::store

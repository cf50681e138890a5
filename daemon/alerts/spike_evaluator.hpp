// Spike rules after each poll cycle: every enabled one counted and judged (signals::
// evaluate_spike), a delivery queued in the outbox when an episode begins; and a new rule's
// history filled from the stored articles.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>
#include <tl/expected.hpp>

namespace newsmon::alerts {

struct SpikeRound {
    int rules = 0;     // enabled spike rules
    int evaluated = 0; // judged here (the others held by another instance)
    int fired = 0;     // episodes that began, each a delivery
};

// Evaluates every enabled spike rule at `as_of` (default: the database's now).
SpikeRound evaluate_spike_rules(pqxx::connection& connection,
                                std::optional<std::chrono::system_clock::time_point> as_of = {});

// Checks a spike rule's window and baseline: the window divides a day, the baseline is a whole
// number of days, at least two.
[[nodiscard]] tl::expected<void, std::string> check_spike_settings(std::chrono::seconds window,
                                                                   std::chrono::seconds baseline);

// Fills rule `rule_id`'s hits from the articles of its baseline (and the day before it, which
// its weekday levels read); returns how many matched.
[[nodiscard]] tl::expected<long long, std::string>
fill_spike_history(pqxx::connection& connection, std::int64_t rule_id, const std::string& name,
                   const std::string& query, std::chrono::seconds window,
                   std::chrono::seconds baseline);

} // namespace newsmon::alerts

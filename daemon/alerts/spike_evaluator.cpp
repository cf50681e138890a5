#include "alerts/spike_evaluator.hpp"

#include "base/log.hpp"
#include "rules/query.hpp"
#include "rules/rule_set.hpp"
#include "signals/spike_detector.hpp"
#include "store/spike_store.hpp"

namespace newsmon::alerts {
namespace {

constexpr std::chrono::seconds k_day{86'400};

} // namespace

SpikeRound evaluate_spike_rules(pqxx::connection& connection,
                                std::optional<std::chrono::system_clock::time_point> as_of) {
    SpikeRound round;
    auto rules = store::enabled_spike_rules(connection);
    round.rules = static_cast<int>(rules.size());
    auto decide = [](const store::SpikeRuleRow& rule, const store::SpikeCounts& counts) {
        signals::SpikeSettings settings;
        settings.min_count = rule.min_count;
        signals::SpikeSeries series{counts.counts, counts.windows_per_day, counts.windows_into_day,
                                    counts.history_days};
        auto verdict = signals::evaluate_spike(series, counts.in_episode, settings);
        return store::SpikeDecision{verdict.fire,     verdict.in_episode, verdict.count,
                                    verdict.expected, verdict.ratio,      verdict.p_value};
    };
    for (const auto& [rule, outcome] :
         store::evaluate_spike_rules(connection, rules, as_of, decide)) {
        ++round.evaluated;
        if (!outcome.decision.fire)
            continue;
        ++round.fired;
        log::info("spike detected",
                  {log::field("rule", rule.name), log::field("count", outcome.decision.count),
                   log::field("expected", outcome.decision.expected),
                   log::field("p_value", outcome.decision.p_value),
                   log::field("episode", outcome.episode_key),
                   log::field("queued", outcome.delivered)});
    }
    return round;
}

tl::expected<void, std::string> check_spike_settings(std::chrono::seconds window,
                                                     std::chrono::seconds baseline) {
    if (window < std::chrono::minutes{1} || window > k_day || k_day.count() % window.count() != 0)
        return tl::unexpected(std::string(
            "a spike window is from 1m to 1d and divides a day (15m, 30m, 1h, 2h, 6h, 1d, ...)"));
    if (baseline < 2 * k_day || baseline.count() % k_day.count() != 0)
        return tl::unexpected(
            std::string("a spike baseline is a whole number of days, at least 2d (14d or more "
                        "also learns the weekly rhythm)"));
    return {};
}

tl::expected<long long, std::string>
fill_spike_history(pqxx::connection& connection, std::int64_t rule_id, const std::string& name,
                   const std::string& query, std::chrono::seconds window,
                   std::chrono::seconds baseline) {
    auto parsed = rules::parse_query(query);
    if (!parsed)
        return tl::unexpected(parsed.error().to_string());
    std::vector<rules::CompiledRule> one;
    one.push_back({rule_id, name, std::move(*parsed), true});
    rules::RuleSet rules(std::move(one));
    return store::fill_spike_hits(connection, rule_id, rules, baseline + k_day + window);
}

} // namespace newsmon::alerts

#include "cli/alert_test.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/log.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/stored_matches.hpp"
#include "config/units.hpp"
#include "newsmon/parsers/dates.hpp"
#include "signals/spike_replay.hpp"
#include "store/alert_rules.hpp"
#include "store/redact.hpp"
#include "store/spike_store.hpp"

namespace newsmon::cli {
namespace {

constexpr std::int64_t k_seconds_per_day = 86'400;
// Each window judged reads the baseline's windows: a replay is refused past this many reads
// (1-minute windows over a year would take hours), which 1-hour windows reach after 700 years.
constexpr double k_most_window_reads = 100e6;

std::string time_text(std::int64_t epoch) {
    return parsers::format_rfc3339(std::chrono::sys_seconds{std::chrono::seconds{epoch}});
}

// The keyword query's matches among the articles published since `since`, newest first.
int test_query(store::Store& store, const MatchPlan& plan, const AlertCommand& command) {
    std::vector<StoredMatch> found;
    auto limit = static_cast<std::size_t>(std::max(command.limit, 0));
    if (limit > 0)
        for_each_match(store, plan, [&](StoredMatch&& match) {
            found.push_back(std::move(match));
            return found.size() < limit;
        });
    if (command.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& match : found)
            list.push_back({{"article_id", static_cast<long long>(match.article.id)},
                            {"published_at", match.article.published_at},
                            {"feed", match.article.feed},
                            {"title", match.article.title},
                            {"url", match.article.url},
                            {"matched_terms", match.matched_terms}});
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    for (const auto& match : found)
        fmt::print("{}  {}  {}  {}\n    matched: {}\n", match.article.published_at,
                   match.article.feed, match.article.title, match.article.url,
                   fmt::join(match.matched_terms, ", "));
    fmt::print("{} article{} matched{}\n", found.size(), found.size() == 1 ? "" : "s",
               found.size() == limit ? fmt::format(" (the newest {}; --limit for more)", limit)
                                     : "");
    return k_exit_ok;
}

double rounded(double value, int digits) {
    double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

void print_replay(const signals::SpikeReplay& replay, const store::SavedAlertRule& rule,
                  bool json) {
    if (json) {
        nlohmann::json series = nlohmann::json::array(), episodes = nlohmann::json::array();
        for (const auto& point : replay.series) {
            const auto& verdict = point.verdict;
            nlohmann::json entry{{"window_end", time_text(point.window_end)},
                                 {"count", verdict.count},
                                 {"judged", verdict.judged}};
            if (verdict.judged) {
                entry["expected"] = rounded(verdict.expected, 3);
                entry["ratio"] = rounded(verdict.ratio, 3);
                entry["p_value"] = verdict.p_value;
                entry["fire"] = verdict.fire;
                entry["in_episode"] = verdict.in_episode;
            }
            series.push_back(std::move(entry));
        }
        for (const auto& episode : replay.episodes)
            episodes.push_back({{"began", time_text(episode.began)},
                                {"ended", episode.ended ? nlohmann::json(time_text(episode.ended))
                                                        : nlohmann::json(nullptr)},
                                {"peak_count", episode.peak_count},
                                {"peak_ratio", rounded(episode.peak_ratio, 3)}});
        nlohmann::json out{{"query", rule.query},
                           {"window_seconds", rule.spike_window.count()},
                           {"baseline_seconds", rule.spike_baseline.count()},
                           {"min_count", rule.spike_min_count},
                           {"series", std::move(series)},
                           {"episodes", std::move(episodes)}};
        fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
    }
    fmt::print("{:<20}  {:>7}  {:>8}  {:>6}  {:>8}\n", "window end", "stories", "expected", "ratio",
               "p");
    for (const auto& point : replay.series) {
        const auto& verdict = point.verdict;
        if (!verdict.judged) {
            fmt::print("{:<20}  {:>7}  {:>8}  {:>6}  {:>8}  too little history\n",
                       time_text(point.window_end), verdict.count, "-", "-", "-");
            continue;
        }
        const char* state = verdict.fire         ? "  SPIKE: alert"
                            : verdict.in_episode ? "  in the episode"
                                                 : "";
        fmt::print("{:<20}  {:>7}  {:>8.2f}  {:>6.1f}  {:>8.1e}{}\n", time_text(point.window_end),
                   verdict.count, verdict.expected, verdict.ratio, verdict.p_value, state);
    }
    if (replay.episodes.empty()) {
        fmt::print("no episode: the rule would have sent nothing\n");
        return;
    }
    fmt::print("{} episode{}, one alert each:\n", replay.episodes.size(),
               replay.episodes.size() == 1 ? "" : "s");
    for (const auto& episode : replay.episodes)
        fmt::print("  {} to {}: peak {} stories, {:.1f}x expected\n", time_text(episode.began),
                   episode.ended ? time_text(episode.ended) : std::string("now"),
                   episode.peak_count, episode.peak_ratio);
}

// A spike rule run over the stored articles: the detector asked at the end of each window
// since `since`, on the same counts (distinct stories of the matching articles, not
// republications) as the daemon's; the history is every stored day before each window.
int test_spike(store::Store& store, const config::Config& config, const store::SavedAlertRule& rule,
               std::int64_t since, bool json) {
    const std::int64_t window = rule.spike_window.count();
    const int baseline_days = static_cast<int>(rule.spike_baseline.count() / k_seconds_per_day);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::int64_t to = now.time_since_epoch().count();
    const double reads = static_cast<double>(std::max<std::int64_t>(to - since, 0) / window) *
                         static_cast<double>((baseline_days + 1) * (k_seconds_per_day / window));
    if (reads > k_most_window_reads) {
        fmt::print(stderr,
                   "error: --since: too long a replay for {} windows and a {} baseline; give a "
                   "later --since\n",
                   config::format_duration(rule.spike_window),
                   config::format_duration(rule.spike_baseline));
        return k_exit_usage;
    }
    // the baseline of the first window judged, and the day before it its weekdays read
    const std::int64_t read_from = since - (baseline_days + 1) * k_seconds_per_day - window;
    auto plan = plan_matches(config, rule.query, "", time_text(read_from));
    if (!plan)
        return k_exit_usage;
    std::vector<signals::SpikeHit> hits;
    for_each_match(store, *plan, [&](StoredMatch&& match) {
        hits.push_back({match.article.published_epoch, match.article.story_id});
        return true;
    });
    signals::ReplaySpan span{
        window, baseline_days,
        std::max(read_from, store::archive_start(store.connection()).value_or(to)), since, to};
    signals::SpikeSettings settings;
    settings.min_count = rule.spike_min_count;
    print_replay(signals::replay_spikes(hits, span, settings), rule, json);
    return k_exit_ok;
}

// A store and the rule named `name`, when the database can be reached and has such a rule.
// Used for an argument that is no valid query: whatever keeps the lookup from working, the
// query's own error is what gets reported.
std::pair<std::unique_ptr<store::Store>, std::optional<store::SavedAlertRule>>
rule_if_reachable(const config::Config& config, const std::string& name) {
    try {
        auto store = std::make_unique<store::Store>(config.database.url);
        auto rule = store::saved_alert_rule(store->connection(), name);
        return {std::move(store), std::move(rule)};
    } catch (const std::exception& error) {
        log::debug("alert test: no saved rule looked up",
                   {log::field("error", store::redact_passwords(error.what()))});
        return {nullptr, std::nullopt};
    }
}

} // namespace

// `alert test NAME|QUERY`: the name of a saved rule wins, so a rule is tried as it is stored;
// an argument that is no valid query may still be a rule's name.
int test_rule_or_query(const config::Config& config, const AlertCommand& command) {
    std::optional<std::string> since;
    if (!read_since_option(command.since.empty() ? "7d" : command.since, since))
        return k_exit_usage;
    auto parsed = rules::parse_query(command.query);
    std::unique_ptr<store::Store> store;
    std::optional<store::SavedAlertRule> saved;
    if (parsed) {
        print_query_warnings(command.query);
        if (!(store = open_store(config)))
            return k_exit_failure;
        saved = store::saved_alert_rule(store->connection(), command.query);
    } else {
        std::tie(store, saved) = rule_if_reachable(config, command.query);
        if (!saved) {
            fmt::print(stderr, "error: {}\n", parsed.error().to_string());
            return k_exit_usage;
        }
    }
    if (saved && saved->spike_window.count() > 0) {
        fmt::print(stderr, "testing spike rule \"{}\": {} (window {}, baseline {}, min count {})\n",
                   command.query, saved->query, config::format_duration(saved->spike_window),
                   config::format_duration(saved->spike_baseline), saved->spike_min_count);
        auto from = parsers::parse_date(*since);
        return test_spike(*store, config, *saved, from ? from->time_since_epoch().count() : 0,
                          command.json);
    }
    if (saved)
        fmt::print(stderr, "testing rule \"{}\": {}\n", command.query, saved->query);
    auto plan = plan_matches(config, saved ? saved->query : command.query, "", since);
    if (!plan)
        return k_exit_usage;
    return test_query(*store, *plan, command);
}

} // namespace newsmon::cli

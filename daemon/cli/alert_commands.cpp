// `newsmon alert …`: alert rules from the command line. Everything here is also possible
// with plain SQL on alert_rules as the daemon's role; these commands check the query and
// channels first.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/new_rule.hpp"
#include "alerts/rule_store.hpp"
#include "alerts/spike_evaluator.hpp"
#include "base/log.hpp"
#include "cli/alert_test.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "store/alert_log.hpp"
#include "store/alert_rules.hpp"
#include "store/redact.hpp"

namespace newsmon::cli {
namespace {

// The webhook secret: the first line of --secret-file (or of standard input), else --secret,
// which other users can read in ps while the command runs.
std::optional<std::string> secret_of(const AlertCommand& command) {
    if (command.secret_file.empty()) {
        if (!command.secret.empty())
            fmt::print(stderr, "warning: --secret can be read by other users in ps and stays in "
                               "shell history; use --secret-file FILE or --secret-file -\n");
        return command.secret;
    }
    std::string text;
    if (read_input(command.secret_file, text) != k_exit_ok)
        return std::nullopt;
    std::string secret = text.substr(0, text.find('\n'));
    if (secret.ends_with('\r'))
        secret.pop_back();
    if (secret.empty()) {
        fmt::print(stderr, "error: --secret-file {}: the first line is empty\n",
                   command.secret_file);
        return std::nullopt;
    }
    return secret;
}

// A spike rule's window and baseline; false (and said why) when they are not usable.
bool check_spike(const AlertCommand& command, store::NewAlertRule& rule) {
    auto window = config::parse_duration(command.window);
    auto baseline = config::parse_duration(command.baseline);
    if (!window || !baseline) {
        fmt::print(stderr, "error: {}: {}\n", window ? "--baseline" : "--window",
                   window ? baseline.error() : window.error());
        return false;
    }
    auto window_seconds = std::chrono::duration_cast<std::chrono::seconds>(*window);
    auto baseline_seconds = std::chrono::duration_cast<std::chrono::seconds>(*baseline);
    if (auto checked = alerts::check_spike_settings(window_seconds, baseline_seconds); !checked) {
        fmt::print(stderr, "error: {}\n", checked.error());
        return false;
    }
    if (!command.digest.empty() || command.per != "article" || command.updates > 0) {
        fmt::print(stderr, "error: --spike takes no --digest, --per or --updates\n");
        return false;
    }
    rule.spike_window_seconds = window_seconds.count();
    rule.spike_baseline_seconds = baseline_seconds.count();
    return true;
}

// The rule as `alert add` stores it, checked (by alerts::check_rule, as the web API's rules
// are) before the database is touched.
std::optional<store::NewAlertRule> checked_rule(const AlertCommand& command) {
    if (command.query.empty() && command.spike.empty()) {
        fmt::print(stderr, "error: give --query, or --spike for a spike alert\n");
        return std::nullopt;
    }
    store::NewAlertRule spike;
    if (!command.spike.empty() && !check_spike(command, spike))
        return std::nullopt;
    alerts::RuleDraft draft{
        command.name,
        command.spike.empty() ? command.query : command.spike,
        alerts::channels_json({command.webhooks, command.emails, command.notify}),
        command.digest,
        command.per,
        command.updates,
        {}};
    auto secret = secret_of(command);
    if (!secret)
        return std::nullopt;
    draft.secret = std::move(*secret);
    auto rule = alerts::check_rule(draft);
    if (!rule) {
        // The command's options are named as written; the query's message names its place.
        const auto& field = rule.error().field;
        bool option = field == "digest" || field == "per" || field == "updates";
        fmt::print(stderr, "error: {}{}\n", option ? "--" + field + ": " : "",
                   rule.error().message);
        return std::nullopt;
    }
    rule->spike_window_seconds = spike.spike_window_seconds;
    rule->spike_baseline_seconds = spike.spike_baseline_seconds;
    if (rule->spike_window_seconds)
        rule->spike_min_count = command.min_count;
    return std::move(*rule);
}

// A spike rule's history from the stored articles, so that it knows what is normal at once.
int fill_history(store::Store& store, const AlertCommand& command, const store::NewAlertRule& rule,
                 std::int64_t id) {
    auto filled = alerts::fill_spike_history(store.connection(), id, command.name, command.spike,
                                             std::chrono::seconds{*rule.spike_window_seconds},
                                             std::chrono::seconds{*rule.spike_baseline_seconds});
    if (!filled) {
        fmt::print(stderr, "error: {}\n", filled.error());
        return k_exit_failure;
    }
    fmt::print("{} stored articles of the last {} matched\n", *filled, command.baseline);
    return k_exit_ok;
}

int add_rule(store::Store& store, const AlertCommand& command, const store::NewAlertRule& rule) {
    auto id = store::add_alert_rule(store.connection(), rule);
    if (!id) {
        fmt::print(stderr, "error: a rule named \"{}\" exists already\n", command.name);
        return k_exit_usage;
    }
    fmt::print("added rule \"{}\" (id {})\n", command.name, static_cast<long long>(*id));
    if (rule.spike_window_seconds)
        return fill_history(store, command, rule, *id);
    return k_exit_ok;
}

nlohmann::json null_if_empty(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

int list_rules(store::Store& store, bool json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : store::list_alert_rules(store.connection())) {
        if (json) {
            list.push_back({{"name", rule.name},
                            {"enabled", rule.enabled},
                            {"query", rule.query},
                            {"channels", nlohmann::json::parse(rule.channels)},
                            {"digest", null_if_empty(rule.digest)},
                            {"per", rule.per},
                            {"updates", rule.update_every ? nlohmann::json(*rule.update_every)
                                                          : nlohmann::json()},
                            {"spike", rule.spike_window.empty()
                                          ? nlohmann::json()
                                          : nlohmann::json{{"window", rule.spike_window},
                                                           {"baseline", rule.spike_baseline},
                                                           {"min_count", rule.spike_min_count}}},
                            {"last_error", null_if_empty(rule.last_error)},
                            {"pending_error", null_if_empty(rule.pending_error)},
                            {"sent", rule.sent},
                            {"pending", rule.pending},
                            {"failed", rule.failed}});
            continue;
        }
        fmt::print("{}  {}  sent={} pending={} failed={}{}\n    query: {}\n    channels: {}\n",
                   rule.name, rule.enabled ? "enabled" : "disabled", rule.sent, rule.pending,
                   rule.failed,
                   (rule.digest.empty() ? "" : "  digest " + rule.digest) +
                       (rule.per == "story" ? "  per story" : "") +
                       (rule.spike_window.empty()
                            ? ""
                            : fmt::format("  spike window {} baseline {} min {}", rule.spike_window,
                                          rule.spike_baseline, rule.spike_min_count)) +
                       (rule.update_every ? " +" + std::to_string(*rule.update_every) : ""),
                   rule.query, rule.channels);
        if (!rule.last_error.empty())
            fmt::print("    error: {}\n", rule.last_error);
        if (!rule.pending_error.empty())
            fmt::print("    delivery error, to be retried: {}\n", rule.pending_error);
    }
    if (json)
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return k_exit_ok;
}

int change_rule(store::Store& store, const std::string& action, const std::string& name) {
    bool changed = action == "rm"
                       ? store::remove_alert_rule(store.connection(), name)
                       : store::enable_alert_rule(store.connection(), name, action == "enable");
    if (!changed) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    fmt::print("{} rule \"{}\"\n",
               action == "rm"       ? "removed"
               : action == "enable" ? "enabled"
                                    : "disabled",
               name);
    return k_exit_ok;
}

int retry_failed(store::Store& store, const std::string& name) {
    auto retried = store::retry_failed_deliveries(store.connection(), name);
    if (!retried) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    fmt::print("{} failed deliveries queued again\n", *retried);
    return k_exit_ok;
}

// The rule's channels, each with whether the delivery reached it: "webhook", its URL, done.
nlohmann::json channels_of(const store::DeliveryLogEntry& entry) {
    nlohmann::json list = nlohmann::json::array();
    auto channels = alerts::parse_channels(entry.channels);
    if (!channels)
        return list;
    auto add = [&](const char* kind, const std::string& target) {
        std::string key = std::string(kind) + (target.empty() ? "" : ":" + target);
        bool done = std::find(entry.channels_done.begin(), entry.channels_done.end(), key) !=
                    entry.channels_done.end();
        list.push_back({{"channel", kind}, {"target", null_if_empty(target)}, {"done", done}});
    };
    for (const auto& url : channels->webhooks)
        add("webhook", url);
    for (const auto& address : channels->emails)
        add("email", address);
    if (channels->notify)
        add("notify", "");
    return list;
}

nlohmann::json log_json(const store::DeliveryLogEntry& entry) {
    return {{"delivery_id", static_cast<long long>(entry.id)},
            {"rule", entry.rule},
            {"kind", entry.kind},
            {"status", entry.status},
            {"attempts", entry.attempts},
            {"last_error", null_if_empty(entry.last_error)},
            {"created_at", entry.created_at},
            {"sent_at", null_if_empty(entry.sent_at)},
            {"next_attempt_at",
             entry.status == "pending" ? nlohmann::json(entry.next_attempt_at) : nlohmann::json()},
            {"article_id", static_cast<long long>(entry.article_id)},
            {"title", entry.title},
            {"url", entry.url},
            {"feed", entry.feed},
            {"published_at", entry.published_at},
            {"matched_terms", entry.matched_terms},
            {"channels", channels_of(entry)}};
}

void print_log_entry(const nlohmann::json& entry) {
    fmt::print("{}  {}  {}{}  attempts={}  delivery={}\n    {} ({}, {})\n",
               entry["created_at"].get<std::string>(), entry["rule"].get<std::string>(),
               entry["status"].get<std::string>(),
               entry["kind"] == "update" ? " (story update)" : "", entry["attempts"].get<int>(),
               entry["delivery_id"].get<long long>(), entry["title"].get<std::string>(),
               entry["feed"].get<std::string>(), entry["published_at"].get<std::string>());
    std::vector<std::string> channels;
    for (const auto& channel : entry["channels"])
        channels.push_back(
            channel["channel"].get<std::string>() +
            (channel["target"].is_null() ? "" : " " + channel["target"].get<std::string>()) +
            (channel["done"].get<bool>() ? " done" : " not yet"));
    fmt::print("    channels: {}\n", fmt::join(channels, ", "));
    if (!entry["sent_at"].is_null())
        fmt::print("    sent at {}\n", entry["sent_at"].get<std::string>());
    if (!entry["next_attempt_at"].is_null())
        fmt::print("    next attempt at {}\n", entry["next_attempt_at"].get<std::string>());
    if (!entry["last_error"].is_null())
        fmt::print("    last error: {}\n", entry["last_error"].get<std::string>());
}

// `alert log [NAME]`: the most recent deliveries, newest first.
int show_log(store::Store& store, const AlertCommand& command,
             const std::optional<std::string>& since) {
    auto entries =
        store::recent_deliveries(store.connection(), {command.name, since, command.limit});
    if (!entries) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", command.name);
        return k_exit_usage;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : *entries)
        list.push_back(log_json(entry));
    if (command.json) {
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    if (list.empty())
        fmt::print(stderr, "no deliveries{}{}\n",
                   command.name.empty() ? "" : " of rule \"" + command.name + "\"",
                   since ? " since " + *since : "");
    for (const auto& entry : list)
        print_log_entry(entry);
    return k_exit_ok;
}

} // namespace

int command_alert(const GlobalOptions& options, const AlertCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    if (command.action == "test")
        return test_rule_or_query(*config, command);
    // Mistakes in the command itself are reported before the database is touched.
    std::optional<store::NewAlertRule> rule;
    if (command.action == "add")
        print_query_warnings(command.query);
    if (command.action == "add" && !(rule = checked_rule(command)))
        return k_exit_usage;
    std::optional<std::string> since;
    if (command.action == "log" && !read_since_option(command.since, since))
        return k_exit_usage;
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    if (command.action == "add")
        return add_rule(*store, command, *rule);
    if (command.action == "list")
        return list_rules(*store, command.json);
    if (command.action == "log")
        return show_log(*store, command, since);
    if (command.action == "retry")
        return retry_failed(*store, command.name);
    return change_rule(*store, command.action, command.name);
}

} // namespace newsmon::cli

// Alert rules as stored in alert_rules: written by `newsmon alert`, read and checked by the
// daemon (which writes last_error), and the stored articles `alert test` tries a query on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct NewAlertRule {
    std::string name;
    std::string query;
    std::string channels; // JSON, as alert_rules.channels takes it
    std::optional<long long> digest_seconds;
    std::string secret;              // empty: none
    bool per_story = false;          // one delivery per story, not per article
    std::optional<int> update_every; // per story: an update each time it spread to N more feeds
    // A spike rule: its window and baseline (seconds) and minimum count; nullopt: a keyword rule
    std::optional<long long> spike_window_seconds{}, spike_baseline_seconds{};
    std::optional<int> spike_min_count{};
};

// The new rule's id; nullopt when a rule of that name exists already.
[[nodiscard]] std::optional<std::int64_t> add_alert_rule(pqxx::connection& connection,
                                                         const NewAlertRule& rule);

struct AlertRuleSummary {
    std::string name;
    bool enabled = false;
    std::string query;
    std::string channels;   // JSON
    std::string digest;     // the interval as PostgreSQL writes it; empty: none
    std::string last_error; // empty: none
    long long sent = 0, pending = 0, failed = 0;
    std::string per = "article"; // or "story"
    std::optional<int> update_every;
    std::string pending_error; // the newest error of a delivery still to be retried; empty: none
    std::string spike_window, spike_baseline; // as PostgreSQL writes them; empty: not a spike rule
    int spike_min_count = 0;
};

// Every rule with its deliveries counted, by name.
[[nodiscard]] std::vector<AlertRuleSummary> list_alert_rules(pqxx::connection& connection);

// The query (and spike settings) of the rule named `name`; nullopt when no rule has that name.
struct SavedAlertRule {
    std::string query;
    // A spike rule's settings; a zero window for a keyword rule.
    std::chrono::seconds spike_window{0};
    std::chrono::seconds spike_baseline{0};
    int spike_min_count = 0;
};
[[nodiscard]] std::optional<SavedAlertRule> saved_alert_rule(pqxx::connection& connection,
                                                             const std::string& name);

// False when no rule has that name.
[[nodiscard]] bool remove_alert_rule(pqxx::connection& connection, const std::string& name);
[[nodiscard]] bool enable_alert_rule(pqxx::connection& connection, const std::string& name,
                                     bool enabled);

// Queues the failed deliveries of the rule `name` (of every rule when empty) again and wakes
// the sender; nullopt when no rule has that name.
[[nodiscard]] std::optional<long long> retry_failed_deliveries(pqxx::connection& connection,
                                                               const std::string& name);

struct EnabledAlertRule {
    std::int64_t id = 0;
    std::string name;
    std::string query;
    std::string channels; // JSON
    bool spike = false;
};

// A rule whose last_error was just set to `error`.
struct AlertRuleError {
    std::string name;
    std::string error;
};

// Gives every enabled rule, by id, to `check`, which returns what is wrong with it (nullopt:
// nothing), and writes that to last_error where it changed, in one transaction; a re-read
// leaves no dead rows. Returns the rules whose error is new.
std::vector<AlertRuleError> check_enabled_alert_rules(
    pqxx::connection& connection,
    const std::function<std::optional<std::string>(const EnabledAlertRule&)>& check);

} // namespace newsmon::store

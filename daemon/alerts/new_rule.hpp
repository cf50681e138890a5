// A keyword rule as `newsmon alert add` and the web API take it, checked as the daemon checks
// rules before anything is stored: the one place a new rule's fields are judged.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "alerts/rule_store.hpp"
#include "store/alert_rules.hpp"

namespace newsmon::alerts {

struct RuleDraft {
    std::string name;
    std::string query;
    std::string channels;        // JSON, as alert_rules.channels holds it
    std::string digest;          // "1h": one message per period; empty: one per match
    std::string per = "article"; // or "story": one delivery per story
    int updates = 0;             // with per story: an update each N more feeds; 0: none
    std::string secret;          // signs webhook bodies; empty: none
};

// What is wrong with a draft, and which of its fields ("name", "query", "channels", "digest",
// "per", "updates", "secret").
struct RuleProblem {
    std::string field;
    std::string message;
};

constexpr std::size_t k_max_rule_name = 200;
constexpr int k_max_updates = 100000;

// The rule as store::add_alert_rule takes it, or the first problem found.
[[nodiscard]] tl::expected<store::NewAlertRule, RuleProblem> check_rule(const RuleDraft& draft);

} // namespace newsmon::alerts

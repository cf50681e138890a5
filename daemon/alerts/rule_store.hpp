// Alert rules as stored in alert_rules: their channels, and the loading that compiles the valid
// ones and writes last_error on the others, so a rule typed in with plain SQL never stops the
// daemon.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>
#include <tl/expected.hpp>

#include "rules/rule_set.hpp"

namespace newsmon::alerts {

// Where a rule's alerts go: alert_rules.channels, as
// {"webhook": ["https://..."], "email": ["desk@example.org"], "notify": true}.
// "webhook" and "email" may also be a single string.
struct Channels {
    std::vector<std::string> webhooks;
    std::vector<std::string> emails;
    bool notify = false;

    [[nodiscard]] bool empty() const { return webhooks.empty() && emails.empty() && !notify; }
};

[[nodiscard]] tl::expected<Channels, std::string> parse_channels(std::string_view json);
[[nodiscard]] std::string channels_json(const Channels& channels);

// "1h" as alert_rules.digest takes it (seconds), or an error naming the problem.
[[nodiscard]] tl::expected<std::chrono::seconds, std::string> parse_digest(std::string_view text);

struct LoadedRules {
    std::shared_ptr<const rules::RuleSet> rules;
    int enabled = 0; // enabled rules, valid or not
    int invalid = 0;
};

// Compiles every enabled rule that is valid; sets last_error on those that are not and clears
// it on those that are again.
[[nodiscard]] LoadedRules load_rules(pqxx::connection& connection);

// A rule's query and channels checked as the daemon checks them; the error says what is wrong.
[[nodiscard]] tl::expected<rules::CompiledRule, std::string>
compile_rule(std::int64_t id, const std::string& name, std::string_view query,
             std::string_view channels);

} // namespace newsmon::alerts

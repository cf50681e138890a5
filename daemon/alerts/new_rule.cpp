#include "alerts/new_rule.hpp"

#include <algorithm>

#include "rules/query.hpp"

namespace newsmon::alerts {
namespace {

std::optional<RuleProblem> name_problem(const std::string& name) {
    if (name.empty())
        return RuleProblem{"name", "a rule needs a name"};
    if (name.size() > k_max_rule_name)
        return RuleProblem{"name", "a rule's name is at most " + std::to_string(k_max_rule_name) +
                                       " bytes"};
    if (std::any_of(name.begin(), name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
        return RuleProblem{"name", "a rule's name holds no control characters"};
    return std::nullopt;
}

// The secret goes into an HMAC key and nowhere else, but it is read as one line.
std::optional<RuleProblem> secret_problem(const std::string& secret) {
    if (secret.find_first_of("\r\n") != std::string::npos)
        return RuleProblem{"secret", "a webhook secret is one line"};
    return std::nullopt;
}

} // namespace

tl::expected<store::NewAlertRule, RuleProblem> check_rule(const RuleDraft& draft) {
    if (auto problem = name_problem(draft.name))
        return tl::unexpected(*problem);
    store::NewAlertRule rule;
    rule.name = draft.name;
    rule.query = draft.query;
    // The checks of compile_rule, which the daemon applies to every stored rule, field by
    // field: what is accepted here is never refused when it loads.
    if (auto parsed = rules::parse_query(draft.query); !parsed)
        return tl::unexpected(RuleProblem{"query", parsed.error().to_string()});
    auto channels = parse_channels(draft.channels);
    if (!channels)
        return tl::unexpected(RuleProblem{"channels", channels.error()});
    rule.channels = channels_json(*channels);
    if (!draft.digest.empty()) {
        auto digest = parse_digest(draft.digest);
        if (!digest)
            return tl::unexpected(RuleProblem{"digest", digest.error()});
        rule.digest_seconds = digest->count();
    }
    if (draft.per != "article" && draft.per != "story")
        return tl::unexpected(
            RuleProblem{"per", "expected \"article\" or \"story\", got \"" + draft.per + "\""});
    rule.per_story = draft.per == "story";
    if (draft.updates < 0 || draft.updates > k_max_updates)
        return tl::unexpected(
            RuleProblem{"updates", "expected 1 to " + std::to_string(k_max_updates)});
    if (draft.updates > 0 && !rule.per_story)
        return tl::unexpected(RuleProblem{"updates", "only with per \"story\""});
    if (draft.updates > 0)
        rule.update_every = draft.updates;
    if (auto problem = secret_problem(draft.secret))
        return tl::unexpected(*problem);
    rule.secret = draft.secret;
    return rule;
}

} // namespace newsmon::alerts

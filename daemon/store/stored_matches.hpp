// The stored articles a query matches, newest first, as `newsmon search`, `alert test` and the
// web API find them: the GIN index over the articles' words gives the candidates (a superset,
// store/article_words.hpp), and the query is applied to each by rules::RuleSet, the code the
// daemon matches alert rules with.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>
#include <tl/expected.hpp>

#include "config/config.hpp"
#include "rules/rule_set.hpp"
#include "store/search.hpp"

namespace newsmon::store {

struct StoredMatch {
    SearchArticle article;
    std::vector<std::string> matched_terms;
};

// What to read and how to match it.
struct MatchPlan {
    SearchFilter filter;
    std::optional<rules::RuleSet> rules; // none: every article that passes the filter
};

// The plan for `query` (may be empty: the filter alone) within `topic` (may be empty; the
// caller has checked that the config has it) and `since` (RFC 3339, may be empty), or what is
// wrong with the query ("query:1:6: …", "topic:weather: no topic named …").
[[nodiscard]] tl::expected<MatchPlan, std::string> plan_matches(const config::Config& config,
                                                                const std::string& query,
                                                                const std::string& topic,
                                                                std::optional<std::string> since);

// Gives each match, newest first, to `visit` until it returns false or none is left.
void for_each_match(pqxx::connection& connection, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit);

} // namespace newsmon::store

// The stored articles a query matches, newest first, as `newsmon search` and `alert test` both
// find them: the GIN index over the articles' words gives the candidates (a superset,
// store/article_words.hpp), and the query is applied to each by rules::RuleSet, the code the
// daemon matches alert rules with.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rules/rule_set.hpp"
#include "store/search.hpp"
#include "store/store.hpp"

namespace newsmon::cli {

struct StoredMatch {
    store::SearchArticle article;
    std::vector<std::string> matched_terms;
};

// What to read and how to match it.
struct MatchPlan {
    store::SearchFilter filter;
    std::optional<rules::RuleSet> rules; // none: every article that passes the filter
};

// The plan for `query` (may be empty: the filter alone) within `topic` (may be empty) and
// `since` (RFC 3339, may be empty), or nullopt after saying on stderr what is wrong: a query
// that cannot be read, or a topic or feed the config does not have.
[[nodiscard]] std::optional<MatchPlan> plan_matches(const config::Config& config,
                                                    const std::string& query,
                                                    const std::string& topic,
                                                    std::optional<std::string> since);

// Gives each match, newest first, to `visit` until it returns false or none is left.
void for_each_match(store::Store& store, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit);

} // namespace newsmon::cli

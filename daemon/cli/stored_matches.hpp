// store/stored_matches as the subcommands use it: a plan whose problems are said on stderr.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "store/store.hpp"
#include "store/stored_matches.hpp"

namespace newsmon::cli {

using store::MatchPlan;
using store::StoredMatch;

// The plan for `query` (may be empty) within `topic` (may be empty) and `since` (RFC 3339, may
// be empty), or nullopt after saying on stderr what is wrong: a query that cannot be read, or a
// topic or feed the config does not have.
[[nodiscard]] std::optional<MatchPlan> plan_matches(const config::Config& config,
                                                    const std::string& query,
                                                    const std::string& topic,
                                                    std::optional<std::string> since);

// Gives each match, newest first, to `visit` until it returns false or none is left.
void for_each_match(store::Store& store, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit);

} // namespace newsmon::cli

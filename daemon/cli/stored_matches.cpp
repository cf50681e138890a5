#include "cli/stored_matches.hpp"

#include <fmt/core.h>

#include "cli/command_support.hpp"

namespace newsmon::cli {

std::optional<MatchPlan> plan_matches(const config::Config& config, const std::string& query,
                                      const std::string& topic, std::optional<std::string> since) {
    if (!topic.empty() && !check_topic_option(config, topic))
        return std::nullopt;
    auto plan = store::plan_matches(config, query, topic, std::move(since));
    if (!plan) {
        fmt::print(stderr, "error: {}\n", plan.error());
        return std::nullopt;
    }
    return std::move(*plan);
}

void for_each_match(store::Store& store, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit) {
    store::for_each_match(store.connection(), plan, visit);
}

} // namespace newsmon::cli

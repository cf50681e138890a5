// `newsmon search`: stored articles that an alert query matches, newest first (see
// cli/stored_matches.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/stored_matches.hpp"

namespace newsmon::cli {
namespace {

void print_matches(const std::vector<StoredMatch>& matches, bool json) {
    if (!json) {
        for (const auto& match : matches)
            fmt::print("{}  {}  {}  {}\n", match.article.published_at, match.article.feed,
                       match.article.title, match.article.url);
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& match : matches)
        list.push_back({{"id", static_cast<long long>(match.article.id)},
                        {"published_at", match.article.published_at},
                        {"feed", match.article.feed},
                        {"title", match.article.title},
                        {"url", match.article.url},
                        {"topics", match.article.topics},
                        {"matched_terms", match.matched_terms}});
    fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<MatchPlan> plan_search(const config::Config& config, const SearchCommand& command) {
    if (command.query.empty() && command.topic.empty()) {
        fmt::print(stderr, "error: search needs a query, --topic, or both\n");
        return std::nullopt;
    }
    std::optional<std::string> since;
    if (!read_since_option(command.since, since))
        return std::nullopt;
    if (!command.query.empty())
        print_query_warnings(command.query);
    return plan_matches(config, command.query, command.topic, std::move(since));
}

} // namespace

int command_search(const GlobalOptions& options, const SearchCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto plan = plan_search(*config, command);
    if (!plan)
        return k_exit_usage;
    auto store = open_read_store(*config);
    if (!store)
        return k_exit_failure;
    std::vector<StoredMatch> matches;
    auto limit = static_cast<std::size_t>(std::max(command.limit, 1));
    for_each_match(*store, *plan, [&](StoredMatch&& match) {
        matches.push_back(std::move(match));
        return matches.size() < limit;
    });
    print_matches(matches, command.json);
    if (matches.empty()) {
        fmt::print(stderr, "no articles match\n");
        return k_exit_nothing_found;
    }
    return k_exit_ok;
}

} // namespace newsmon::cli

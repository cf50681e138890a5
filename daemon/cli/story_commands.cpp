// `newsmon stories` and `newsmon restory`.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "config/units.hpp"
#include "store/migrations.hpp"
#include "store/story_rebuild.hpp"

namespace newsmon::cli {
namespace {

nlohmann::json story_json(const store::StorySummary& story) {
    return {{"id", story.id},
            {"title", story.title},
            {"first_seen_at", story.first_seen_at},
            {"last_seen_at", story.last_seen_at},
            {"article_count", story.article_count},
            {"feed_count", story.feed_count},
            {"languages", story.languages},
            {"topics", story.topics},
            {"first_feed", story.first_feed},
            {"first_url", story.first_url}};
}

} // namespace

int command_stories(const GlobalOptions& options, const StoriesCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    store::StoryListQuery query;
    query.limit = command.limit;
    auto since = config::parse_duration(command.since);
    if (!since) {
        fmt::print(stderr, "error: --since: {}\n", since.error());
        return k_exit_usage;
    }
    query.since = *since;
    if (!command.topic.empty()) {
        if (!check_topic_option(*config, command.topic))
            return k_exit_usage;
        query.topic = command.topic;
    }
    auto store = open_read_store(*config);
    if (!store)
        return k_exit_failure;
    auto stories = store::list_stories(store->connection(), query);
    if (command.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& story : stories)
            list.push_back(story_json(story));
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    if (stories.empty())
        fmt::print(stderr, "no stories seen in the last {}\n", command.since);
    for (const auto& story : stories)
        fmt::print("{:>3} feeds {:>3} articles  {}  {}  [{}] first: {}\n", story.feed_count,
                   story.article_count, story.first_seen_at, story.title,
                   fmt::format("{}", fmt::join(story.languages, ",")), story.first_feed);
    return k_exit_ok;
}

int command_restory(const GlobalOptions& options, const RestoryCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    store::RestoryOptions restory;
    restory.window = std::chrono::duration_cast<std::chrono::seconds>(config->stories.window);
    if (!read_since_option(command.since, restory.since))
        return k_exit_usage;
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    store::migrate(store->connection());
    auto done = store::restory_articles(
        store->connection(), restory, [](const store::RestoryProgress& progress) {
            fmt::print(stderr, "restory: {}/{} articles, {} moved to another story\n",
                       progress.done, progress.total, progress.moved);
        });
    fmt::print("restoried {} articles; {} changed story\n", done.done, done.moved);
    return k_exit_ok;
}

} // namespace newsmon::cli

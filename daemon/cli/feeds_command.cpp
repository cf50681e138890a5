// `newsmon feeds`: the configured feeds with their health, and the feed list as OPML
// (`feeds export`) and from OPML (`feeds import`).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "config/feed_list.hpp"
#include "newsmon/parsers/opml.hpp"
#include "store/feed_health.hpp"

namespace newsmon::cli {
namespace {

// What is wrong with a feed, as a word each: "failing", "silent", "overdue"; "ok" when none is,
// "never polled" before its first poll, "not in the database" before the daemon synced it.
std::vector<std::string> states_of(const store::FeedHealth* health) {
    if (!health)
        return {"not in the database"};
    if (!health->last_polled_at)
        return {"never polled"};
    std::vector<std::string> states;
    if (health->failing)
        states.emplace_back("failing");
    if (health->silent)
        states.emplace_back("silent");
    if (health->overdue)
        states.emplace_back("overdue");
    if (states.empty())
        states.emplace_back("ok");
    return states;
}

template <class Value> nlohmann::json or_null(const std::optional<Value>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json feed_json(const config::FeedConfig& feed, const store::FeedHealth* health) {
    nlohmann::json out = {{"name", feed.name},
                          {"url", feed.url},
                          {"category", or_null(feed.category)},
                          {"state", states_of(health)}};
    if (!health)
        return out;
    out.update({{"last_polled_at", or_null(health->last_polled_at)},
                {"last_success_at", or_null(health->last_success_at)},
                {"last_http_status", or_null(health->last_http_status)},
                {"consecutive_failures", health->consecutive_failures},
                {"last_error", or_null(health->last_error)},
                {"articles_24h", health->articles_24h},
                {"last_article_at", or_null(health->last_article_at)},
                {"next_poll_at", health->next_poll_at}});
    return out;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words)
        out += (out.empty() ? "" : ",") + word;
    return out;
}

void print_table(const config::Config& config,
                 const std::vector<const store::FeedHealth*>& health) {
    fmt::print("{:<28} {:<20} {:<20} {:>5}  {}\n", "FEED", "STATE", "LAST SUCCESS", "24H",
               "LAST ERROR");
    for (std::size_t i = 0; i < config.feeds.size(); ++i) {
        const auto* row = health[i];
        std::string error = row && row->failing && row->last_error ? *row->last_error : "";
        fmt::print("{:<28} {:<20} {:<20} {:>5}  {}\n", config.feeds[i].name, joined(states_of(row)),
                   row && row->last_success_at ? *row->last_success_at : "-",
                   row ? std::to_string(row->articles_24h) : "-", error.empty() ? "-" : error);
    }
}

int list_feeds(const GlobalOptions& options, bool json) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto store = open_read_store(*config);
    if (!store)
        return k_exit_failure;
    auto rows = store::feed_health(store->connection());
    std::vector<const store::FeedHealth*> health; // one per configured feed, by URL
    for (const auto& feed : config->feeds) {
        auto found = std::find_if(rows.begin(), rows.end(),
                                  [&](const auto& row) { return row.url == feed.url; });
        health.push_back(found == rows.end() ? nullptr : &*found);
    }
    if (!json) {
        print_table(*config, health);
        return k_exit_ok;
    }
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < config->feeds.size(); ++i)
        list.push_back(feed_json(config->feeds[i], health[i]));
    fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return k_exit_ok;
}

int export_feeds(const GlobalOptions& options) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    fmt::print("{}", parsers::write_opml("newsmon feeds", config::feeds_as_opml(config->feeds)));
    return k_exit_ok;
}

int import_feeds(const GlobalOptions& options, const FeedsCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    if (!command.output.empty() && std::filesystem::exists(command.output)) {
        fmt::print(stderr, "error: --output {}: the file exists; newsmon does not overwrite it\n",
                   command.output);
        return k_exit_usage;
    }
    std::string bytes;
    if (auto read = read_input(command.input, bytes); read != k_exit_ok)
        return read;
    auto opml = parsers::read_opml(bytes);
    if (!opml) {
        fmt::print(stderr, "error: {}: not OPML: {}\n", command.input, opml.error());
        return k_exit_usage;
    }
    auto imported = config::import_feeds(*opml, config->feeds);
    for (const auto& note : imported.notes)
        fmt::print(stderr, "note: {}: {}\n", command.input, note);
    std::string text = "# " + std::to_string(imported.added) + " feed(s) imported by `newsmon " +
                       "feeds import` from " + command.input + "\n\n" + imported.toml;
    if (command.output.empty()) {
        fmt::print("{}", text);
    } else {
        std::ofstream out(command.output, std::ios::binary);
        if (!(out << text)) {
            fmt::print(stderr, "error: --output {}: cannot write the file\n", command.output);
            return k_exit_failure;
        }
    }
    fmt::print(stderr,
               "{} feed(s) to add, {} left out; append them to the config and run "
               "`newsmon check-config`\n",
               imported.added, imported.left_out);
    return k_exit_ok;
}

} // namespace

int command_feeds(const GlobalOptions& options, const FeedsCommand& command) {
    if (command.action == "export")
        return export_feeds(options);
    if (command.action == "import")
        return import_feeds(options, command);
    return list_feeds(options, command.json);
}

} // namespace newsmon::cli

#include "cli/commands.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>

#include "alerts/rule_store.hpp"
#include "alerts/sender.hpp"
#include "base/log.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "config/config.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/feed.hpp"
#include "service/daemon.hpp"
#include "service/pipeline.hpp"
#include "service/reparse.hpp"
#include "store/migrations.hpp"
#include "store/raw_archive.hpp"
#include "store/redact.hpp"
#include "store/retag.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "tag/language_detector.hpp"
#include "tag/tagger.hpp"

namespace newsmon::cli {
namespace {

// The config and its compiled topics, or nullopt after saying what is wrong.
struct Loaded {
    config::Config config;
    tag::Tagger tagger;
};

std::optional<Loaded> load_with_topics(const GlobalOptions& options) {
    auto config = load_or_report(options);
    if (!config)
        return std::nullopt;
    auto tagger = tag::Tagger::compile(config->topics);
    if (!tagger) {
        fmt::print(stderr, "error: {}\n", tagger.error());
        return std::nullopt;
    }
    return Loaded{std::move(*config), std::move(*tagger)};
}

} // namespace

int command_run(const GlobalOptions& options) {
    service::SignalWatcher signals; // before any thread starts
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    service::Daemon daemon(std::move(*config), signals);
    return daemon.run();
}

int command_poll_once(const GlobalOptions& options) {
    service::SignalWatcher signals;
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    service::Pipeline pipeline(std::move(*config));
    std::unique_ptr<store::Store> prepared;
    try {
        prepared = pipeline.open_store(); // migrated when configured, feeds and topics synced
    } catch (const pqxx::broken_connection& error) {
        fmt::print(stderr, "error: cannot connect to the database: {}\n",
                   store::redact_passwords(error.what()));
        return k_exit_failure;
    }
    bool stop = false;
    auto report = service::poll_once(pipeline, *prepared,
                                     service::instance_name(pipeline.config()) + "/poll-once", [&] {
                                         stop = stop || signals.poll().has_value();
                                         return stop;
                                     });
    // What matched goes out now; a failed delivery waits for `run` or the next poll.
    auto sent = alerts::Sender(pipeline.config()).deliver_due(prepared->connection());
    log::info("poll done",
              {log::field("feeds", report.feeds.feeds), log::field("failed", report.feeds.failed),
               log::field("new", report.feeds.articles_new),
               log::field("pages", report.pages.stored), log::field("spikes", report.spikes.fired),
               log::field("alerts_sent", sent.sent),
               log::field("alerts_failed", sent.retried + sent.failed)});
    return report.feeds.failed == 0 ? k_exit_ok : k_exit_failure;
}

int command_migrate(const GlobalOptions& options, bool status_only) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    if (!status_only) {
        int applied = store::migrate(store->connection());
        fmt::print("applied {} migration(s)\n", applied);
    }
    for (const auto& entry : store::migration_status(store->connection()))
        fmt::print("{:04d} {:<40} {}\n", entry.version, entry.name,
                   entry.applied_at ? "applied " + *entry.applied_at : std::string("pending"));
    return k_exit_ok;
}

int command_check_config(const GlobalOptions& options) {
    auto path = config::default_config_path(options.config_file);
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    fmt::print("{}: ok ({} feeds, {} topics)\n", path.string(), config->feeds.size(),
               config->topics.size());
    return k_exit_ok;
}

int command_print_defaults() {
    fmt::print("{}", config::keys_as_markdown());
    return k_exit_ok;
}

int command_parse(const ParseCommand& command) {
    std::string bytes;
    if (auto read = read_input(command.input, bytes); read != k_exit_ok)
        return read;
    parsers::ParseOptions options;
    options.feed_url = command.feed_url;
    options.content_type = command.content_type;
    options.charset = command.charset;
    auto feed = parsers::parse_feed(bytes, options);
    if (!feed) {
        fmt::print(stderr, "error: {}: not a feed: {}\n", command.input, feed.error().message);
        return k_exit_usage;
    }
    if (command.json) {
        fmt::print("{}\n", parsers::to_json(*feed));
        return k_exit_ok;
    }
    fmt::print("{} \"{}\" {} ({} items)\n", parsers::to_string(feed->format), feed->title,
               feed->link, feed->items.size());
    for (const auto& item : feed->items)
        fmt::print("  {:<20}  {}  {}\n",
                   item.published ? parsers::format_rfc3339(*item.published) : "-", item.title,
                   item.link);
    for (const auto& warning : feed->warnings)
        fmt::print(stderr, "warning: {}\n", warning);
    return k_exit_ok;
}

int command_tag(const GlobalOptions& options, const TagCommand& command) {
    auto loaded = load_with_topics(options);
    if (!loaded)
        return k_exit_usage;
    const tag::Tagger* tagger = &loaded->tagger;
    std::string body;
    if (auto read = read_input(command.input, body); read != k_exit_ok)
        return read;
    auto language = tag::article_language(command.language, command.title, body);
    auto results = tagger->tag(command.title, body, tag::language_of(language.code));
    if (command.json) {
        nlohmann::json topics = nlohmann::json::array();
        for (const auto& result : results) {
            nlohmann::json occurrences = nlohmann::json::array();
            for (const auto& occurrence : result.occurrences) {
                std::string_view text = occurrence.in_title ? command.title : body;
                occurrences.push_back(
                    {{"term", occurrence.term},
                     {"in", occurrence.in_title ? "title" : "body"},
                     {"begin", occurrence.begin},
                     {"end", occurrence.end},
                     {"text", text.substr(occurrence.begin, occurrence.end - occurrence.begin)}});
            }
            topics.push_back({{"topic", result.match.topic},
                              {"score", result.match.score},
                              {"hits", result.match.hits},
                              {"in_title", result.match.in_title},
                              {"matched_terms", result.match.matched_terms},
                              {"occurrences", occurrences}});
        }
        nlohmann::json document{{"language", language.code},
                                {"language_detected", language.detected},
                                {"topics", topics}};
        fmt::print("{}\n", document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    fmt::print("language={}{}\n", language.code.empty() ? "unknown" : language.code,
               language.detected ? " (detected)" : "");
    for (const auto& result : results) {
        fmt::print("{}  score={} hits={} in_title={}\n", result.match.topic, result.match.score,
                   result.match.hits, result.match.in_title ? "yes" : "no");
        for (const auto& occurrence : result.occurrences) {
            std::string_view text = occurrence.in_title ? command.title : body;
            fmt::print("  {:<5} {:>6}-{:<6} {:<30} {}\n", occurrence.in_title ? "title" : "body",
                       occurrence.begin, occurrence.end, occurrence.term,
                       text.substr(occurrence.begin, occurrence.end - occurrence.begin));
        }
    }
    return k_exit_ok;
}

int command_retag(const GlobalOptions& options, const RetagCommand& command) {
    auto loaded = load_with_topics(options);
    if (!loaded)
        return k_exit_usage;
    const config::Config* config = &loaded->config;
    const tag::Tagger* tagger = &loaded->tagger;
    store::RetagOptions retag;
    if (!read_since_option(command.since, retag.since))
        return k_exit_usage;
    if (!command.topic.empty()) {
        if (!check_topic_option(*config, command.topic))
            return k_exit_usage;
        retag.topic = command.topic;
    }
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    store::migrate(store->connection());
    store->sync_topics(*config);
    auto done = store::retag_articles(
        store->connection(), *tagger, retag, [](const store::RetagProgress& progress) {
            fmt::print(stderr, "retag: {}/{} articles, last id {}{}\n", progress.done,
                       progress.total, progress.last_id, progress.resumed ? " (resumed)" : "");
        });
    fmt::print("retagged {} articles\n", done.done);
    return k_exit_ok;
}

int command_reparse(const GlobalOptions& options, const ReparseCommand& command) {
    auto loaded = load_with_topics(options);
    if (!loaded)
        return k_exit_usage;
    service::ReparseOptions reparse;
    if (!read_since_option(command.since, reparse.since))
        return k_exit_usage;
    auto store = open_store(loaded->config);
    if (!store)
        return k_exit_failure;
    store::migrate(store->connection());
    store->sync_topics(loaded->config);
    if (!command.feed.empty()) {
        reparse.feed_id = store::feed_id_named(store->connection(), command.feed);
        if (!reparse.feed_id) {
            fmt::print(stderr, "error: --feed: no feed named or at \"{}\"\n", command.feed);
            return k_exit_usage;
        }
    }
    auto done = service::reparse(
        *store, loaded->config, loaded->tagger, reparse, [](const service::ReparseReport& now) {
            fmt::print(stderr,
                       "reparse: feed bodies {}/{}, pages {}/{}; {} articles changed, {} "
                       "added, {} pages changed{}\n",
                       now.feed_bodies, now.feed_bodies_total, now.pages, now.pages_total,
                       now.changed, now.added, now.pages_changed, now.resumed ? " (resumed)" : "");
        });
    fmt::print("reparsed {} feed bodies and {} pages: {} articles changed, {} added, {} pages "
               "changed, {} bodies gave nothing\n",
               done.feed_bodies, done.pages, done.changed, done.added, done.pages_changed,
               done.unreadable);
    for (const auto& [field, count] : done.fields)
        fmt::print("  {:<11} {}\n", field, count);
    return k_exit_ok;
}

int command_rollups_rebuild(const GlobalOptions& options) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    store::migrate(store->connection());
    auto started = std::chrono::steady_clock::now();
    auto rows = store::rebuild_topic_rollups(store->connection());
    fmt::print("rebuilt the topic rollups: {} rows in {:.1f} s\n", rows,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return k_exit_ok;
}

int command_version() {
    fmt::print("newsmon {}\n", NEWSMON_VERSION);
    return k_exit_ok;
}

} // namespace newsmon::cli

#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.hpp"

namespace newsmon::cli {

int run(int argc, char** argv) {
    CLI::App app{"newsmon: polls news feeds, tags articles by topic and stores them in "
                 "PostgreSQL.",
                 "newsmon"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("newsmon ") + NEWSMON_VERSION);

    GlobalOptions options;
    std::string log_level;
    app.add_option("-c,--config", options.config_file,
                   "Config file (default: $NEWSMON_CONFIG, else /etc/newsmon/newsmon.toml)");
    app.add_option("--log-level", log_level, "Override [log] level")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

    auto* run_cmd = app.add_subcommand("run", "Run the daemon: poll feeds on their intervals "
                                              "until SIGTERM or SIGINT; SIGHUP reloads");
    auto* poll_cmd = app.add_subcommand("poll", "Poll every configured feed");
    bool once = false;
    poll_cmd->add_flag("--once", once, "Poll each feed once and exit (required)")->required();
    auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending database migrations");
    bool status_only = false;
    migrate_cmd->add_flag("--status", status_only, "Only list migrations and their state");
    auto* check_cmd = app.add_subcommand("check-config", "Validate the config file and exit");
    auto* version_cmd = app.add_subcommand("version", "Print the version");
    auto* parse_cmd = app.add_subcommand(
        "parse", "Parse a feed file (RSS, RDF, Atom or JSON Feed) and print what newsmon reads "
                 "from it; exit status 2 when it is not a feed");
    ParseCommand parse;
    parse_cmd->add_option("input", parse.input, "Feed file, or - for standard input")->required();
    parse_cmd->add_option("--url", parse.feed_url, "The feed's URL: the base for relative links");
    parse_cmd->add_option("--content-type", parse.content_type,
                          "The HTTP Content-Type, for its charset ('text/xml; charset=KOI8-R')");
    parse_cmd->add_flag("--json", parse.json, "Print the normalized feed as JSON");

    auto* search_cmd = app.add_subcommand(
        "search", "Search stored articles, newest first (web search syntax: words, \"phrases\", "
                  "OR, -word)");
    SearchCommand search;
    search_cmd->add_option("query", search.query, "What to look for")->required();
    search_cmd->add_option("--topic", search.topic, "Only articles tagged with this topic");
    search_cmd->add_option("--since", search.since,
                           "Only articles published this recently, e.g. 7d");
    search_cmd->add_option("--limit", search.limit, "At most this many (default 20)")
        ->check(CLI::Range(1, 100000));
    search_cmd->add_flag("--json", search.json, "Print a JSON array");

    auto* tag_cmd = app.add_subcommand(
        "tag", "Tag a text with the configured topics: scores, matched terms and where they stand");
    TagCommand tag_options;
    tag_cmd->add_option("--title", tag_options.title, "The title (hits there count three times)");
    tag_cmd->add_option("input", tag_options.input, "The body: a file, or - for standard input");
    tag_cmd->add_flag("--json", tag_options.json, "Print JSON");

    auto* retag_cmd = app.add_subcommand(
        "retag", "Re-tag stored articles after topics changed (batches; an interrupted run "
                 "resumes when run again with the same options)");
    RetagCommand retag_options;
    retag_cmd->add_option("--since", retag_options.since,
                          "Only articles published since: 2025-11-01, or a duration such as 30d");
    retag_cmd->add_option("--topic", retag_options.topic, "Only replace this topic's tags");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& done) {
        return app.exit(done);
    } catch (const CLI::ParseError& error) {
        app.exit(error);
        return k_exit_usage;
    }
    if (!log_level.empty())
        options.log_level = log_level;

    try {
        if (*run_cmd)
            return command_run(options);
        if (*poll_cmd)
            return command_poll_once(options);
        if (*migrate_cmd)
            return command_migrate(options, status_only);
        if (*check_cmd)
            return command_check_config(options);
        if (*version_cmd)
            return command_version();
        if (*parse_cmd)
            return command_parse(parse);
        if (*search_cmd)
            return command_search(options, search);
        if (*tag_cmd)
            return command_tag(options, tag_options);
        if (*retag_cmd)
            return command_retag(options, retag_options);
    } catch (const std::exception& error) {
        fmt::print(stderr, "error: {}\n", error.what());
        return k_exit_failure;
    }
    return k_exit_usage;
}

} // namespace newsmon::cli

#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "store/redact.hpp"

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
    bool print_defaults = false;
    check_cmd->add_flag("--defaults", print_defaults,
                        "Print every key with its default and meaning (Markdown) instead");
    auto* version_cmd = app.add_subcommand("version", "Print the version");
    auto* web_cmd = app.add_subcommand(
        "web", "Serve the dashboard (/), the JSON API (/api/v1/) and Atom feeds (/feeds/) on [web] "
               "listen until SIGTERM or SIGINT; it writes only alert rules, for clients with the "
               "bearer token");
    auto* parse_cmd = app.add_subcommand(
        "parse", "Parse a feed file (RSS, RDF, Atom or JSON Feed) and print what newsmon reads "
                 "from it; exit status 2 when it is not a feed");
    ParseCommand parse;
    parse_cmd->add_option("input", parse.input, "Feed file, or - for standard input")->required();
    parse_cmd->add_option("--url", parse.feed_url, "The feed's URL: the base for relative links");
    parse_cmd->add_option("--content-type", parse.content_type,
                          "The HTTP Content-Type, for its charset ('text/xml; charset=KOI8-R')");
    parse_cmd->add_option("--charset", parse.charset,
                          "The feed's encoding, over what it declares (as [[feed]] charset)");
    parse_cmd->add_flag("--json", parse.json, "Print the normalized feed as JSON");

    auto* search_cmd = app.add_subcommand(
        "search", "Search stored articles, newest first, with the alert query language (terms, "
                  "\"phrases\", stem*, AND, OR, NOT, ( ), NEAR/n, title:, topic:, feed:, lang:)");
    SearchCommand search;
    search_cmd->add_option("query", search.query, "What to look for (optional with --topic)");
    search_cmd->add_option("--topic", search.topic, "Only articles tagged with this topic");
    search_cmd->add_option("--since", search.since,
                           "Only articles published since: 2025-11-01, or a duration such as 7d");
    search_cmd->add_option("--limit", search.limit, "At most this many (default 20)")
        ->check(CLI::Range(1, 100000));
    search_cmd->add_flag("--json", search.json, "Print a JSON array");

    auto* stories_cmd = app.add_subcommand(
        "stories", "List the top stories: one event from many feeds, most widely carried first");
    StoriesCommand stories;
    stories_cmd->add_option("--since", stories.since,
                            "Stories seen this recently, e.g. 24h (the default) or 7d");
    stories_cmd->add_option("--topic", stories.topic, "Only stories with an article of this topic");
    stories_cmd->add_option("--limit", stories.limit, "At most this many (default 20)")
        ->check(CLI::Range(1, 100000));
    stories_cmd->add_flag("--json", stories.json, "Print a JSON array");

    auto* restory_cmd = app.add_subcommand(
        "restory", "Group stored articles into stories again (after the method changed); in "
                   "batches, while the daemon runs; running it twice changes nothing");
    RestoryCommand restory;
    restory_cmd->add_option("--since", restory.since,
                            "Only articles published since: 2025-11-01, or a duration such as 30d");

    auto* rollups_cmd = app.add_subcommand(
        "rollups",
        "The hourly counts per topic, per topic and feed, and per pair of topics behind "
        "topic_daily, the web API's topic counts and examples 03 and 04, kept at ingest");
    rollups_cmd->require_subcommand(1);
    rollups_cmd->add_subcommand(
        "rebuild", "Recount them, and each story's tags per topic, from the stored articles "
                   "(after a bulk load, tags written by hand, or a topic renamed in the "
                   "database); writers wait until it commits");

    auto* tag_cmd = app.add_subcommand(
        "tag", "Tag a text with the configured topics: scores, matched terms and where they stand");
    TagCommand tag_options;
    tag_cmd->add_option("--title", tag_options.title, "The title (hits there count three times)");
    tag_cmd->add_option("input", tag_options.input, "The body: a file, or - for standard input");
    tag_cmd->add_option("--lang", tag_options.language,
                        "The text's language (en, ru, tr, az: its stemmer); detected if not given");
    tag_cmd->add_flag("--json", tag_options.json, "Print JSON");

    auto* retag_cmd = app.add_subcommand(
        "retag", "Re-tag stored articles after topics changed (batches; an interrupted run "
                 "resumes when run again with the same options)");
    RetagCommand retag_options;
    retag_cmd->add_option("--since", retag_options.since,
                          "Only articles published since: 2025-11-01, or a duration such as 30d");
    retag_cmd->add_option("--topic", retag_options.topic, "Only replace this topic's tags");

    auto* reparse_cmd = app.add_subcommand(
        "reparse", "Read the raw archive's feed bodies and pages again with the current parser, "
                   "extractor and tagger, and update the stored articles (batches; an "
                   "interrupted run resumes when run again with the same options)");
    ReparseCommand reparse;
    reparse_cmd->add_option("--since", reparse.since,
                            "Only bodies fetched since: 2025-11-01, or a duration such as 30d");
    reparse_cmd->add_option("--feed", reparse.feed, "Only this feed's bodies (its name or URL)");

    auto* extract_cmd = app.add_subcommand(
        "extract", "Extract the story from an article page (a file, or a URL to fetch) and its "
                   "title, author, time, image, language and canonical URL");
    ExtractCommand extract;
    extract_cmd->add_option("input", extract.input, "Page file, - for standard input, or URL")
        ->required();
    extract_cmd->add_option("--url", extract.page_url, "The page's URL: the base for links");
    extract_cmd->add_option("--content-type", extract.content_type,
                            "The HTTP Content-Type, for its charset");
    extract_cmd->add_flag("--json", extract.json, "Print JSON");

    auto* feeds_cmd = app.add_subcommand(
        "feeds", "List the configured feeds with their health (failing, silent, overdue), or "
                 "export or import them as OPML");
    FeedsCommand feeds;
    feeds_cmd->require_subcommand(0, 1);
    feeds_cmd->add_flag("--json", feeds.json, "Print a JSON array");
    feeds_cmd->add_subcommand("export", "Print the configured feeds as OPML 2.0, a folder per "
                                        "category");
    auto* feeds_import = feeds_cmd->add_subcommand(
        "import", "Read an OPML file and print a [[feed]] entry for each feed not yet configured, "
                  "to append to the config");
    feeds_import->add_option("input", feeds.input, "OPML file, or - for standard input")
        ->required();
    feeds_import->add_option("--output", feeds.output,
                             "Write the entries to this new file instead of standard output");

    auto* alert_cmd = app.add_subcommand(
        "alert", "Keyword alerts: rules in alert_rules, each matching article delivered once");
    alert_cmd->require_subcommand(1);
    AlertCommand alert;
    auto* alert_add = alert_cmd->add_subcommand("add", "Add a rule");
    alert_add->add_option("name", alert.name, "The rule's unique name")->required();
    auto* query_option = alert_add->add_option("--query", alert.query,
                                               "What to look for (see the README's grammar)");
    alert_add
        ->add_option("--spike", alert.spike,
                     "Instead of --query: alert when the stories matching this query in the last "
                     "--window are far above normal for that hour of the week")
        ->excludes(query_option);
    alert_add->add_option("--window", alert.window,
                          "With --spike: the window counted, dividing a day (default 1h)");
    alert_add->add_option("--baseline", alert.baseline,
                          "With --spike: the history that says what is normal, whole days "
                          "(default 14d)");
    alert_add
        ->add_option("--min-count", alert.min_count,
                     "With --spike: fewer stories in the window are never a spike (default 5)")
        ->check(CLI::Range(1, 1000000));
    alert_add->add_option("--webhook", alert.webhooks, "POST each alert as JSON to this URL");
    alert_add->add_option("--email", alert.emails, "Mail each alert to this address");
    alert_add->add_flag("--notify", alert.notify, "NOTIFY newsmon_alert with the JSON payload");
    alert_add->add_option("--digest", alert.digest,
                          "Collect matches and send one message per period, e.g. 1h");
    alert_add
        ->add_option("--per", alert.per,
                     "article (default): a message per matching article; story: one per story, "
                     "however many outlets carry it")
        ->check(CLI::IsMember({"article", "story"}));
    alert_add
        ->add_option("--updates", alert.updates,
                     "With --per story: one update each time the story has spread to N more "
                     "feeds")
        ->check(CLI::Range(1, 100000));
    auto* secret_file = alert_add->add_option(
        "--secret-file", alert.secret_file,
        "Sign webhook bodies (X-Newsmon-Signature) with the first line of this file; - reads it "
        "from standard input");
    alert_add
        ->add_option("--secret", alert.secret,
                     "As --secret-file, but shown to every user in ps and kept in shell history")
        ->excludes(secret_file);
    auto* alert_list = alert_cmd->add_subcommand("list", "List rules and their deliveries");
    alert_list->add_flag("--json", alert.json, "Print a JSON array");
    for (const char* action : {"enable", "disable", "rm"}) {
        auto* change = alert_cmd->add_subcommand(
            action,
            std::string(action) == "rm"
                ? "Remove a rule and its deliveries"
                : std::string("Turn a rule ") + (std::string(action) == "enable" ? "on" : "off"));
        change->add_option("name", alert.name, "The rule's name")->required();
    }
    auto* alert_test = alert_cmd->add_subcommand(
        "test", "Show the stored articles a saved rule or a query would have matched, newest "
                "first; replay a spike rule's windows and episodes");
    alert_test
        ->add_option("query", alert.query,
                     "A saved rule's name (a name wins), else a query; write '(NATO)' to test the "
                     "query NATO when a rule is named NATO")
        ->required();
    alert_test->add_option("--since", alert.since,
                           "How far back: a duration such as 30d (default 7d), or 2025-11-01");
    alert_test->add_option("--limit", alert.limit, "At most this many matches (default 50)")
        ->check(CLI::Range(1, 100000));
    alert_test->add_flag("--json", alert.json,
                         "Print a JSON array (a spike rule: an object with series and episodes)");
    auto* alert_retry = alert_cmd->add_subcommand(
        "retry", "Queue failed deliveries again (of one rule, or of all)");
    alert_retry->add_option("name", alert.name, "Only this rule's");
    auto* alert_log = alert_cmd->add_subcommand(
        "log", "Recent deliveries, newest first: rule, article, channels, state, attempts, last "
               "error, times");
    alert_log->add_option("name", alert.name, "Only this rule's");
    alert_log->add_option("--since", alert.since,
                          "Only deliveries made since: 2025-11-01, or a duration such as 24h");
    alert_log->add_option("--limit", alert.limit, "At most this many (default 50)")
        ->check(CLI::Range(1, 100000));
    alert_log->add_flag("--json", alert.json, "Print a JSON array");

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
            return print_defaults ? command_print_defaults() : command_check_config(options);
        if (*version_cmd)
            return command_version();
        if (*web_cmd)
            return command_web(options);
        if (*parse_cmd)
            return command_parse(parse);
        if (*search_cmd)
            return command_search(options, search);
        if (*tag_cmd)
            return command_tag(options, tag_options);
        if (*stories_cmd)
            return command_stories(options, stories);
        if (*restory_cmd)
            return command_restory(options, restory);
        if (*retag_cmd)
            return command_retag(options, retag_options);
        if (*reparse_cmd)
            return command_reparse(options, reparse);
        if (*rollups_cmd)
            return command_rollups_rebuild(options);
        if (*extract_cmd)
            return command_extract(options, extract);
        if (*feeds_cmd) {
            if (!feeds_cmd->get_subcommands().empty())
                feeds.action = feeds_cmd->get_subcommands().front()->get_name();
            return command_feeds(options, feeds);
        }
        if (*alert_cmd) {
            alert.action = alert_cmd->get_subcommands().front()->get_name();
            return command_alert(options, alert);
        }
    } catch (const std::exception& error) {
        fmt::print(stderr, "error: {}\n", store::redact_passwords(error.what()));
        return k_exit_failure;
    }
    return k_exit_usage;
}

} // namespace newsmon::cli

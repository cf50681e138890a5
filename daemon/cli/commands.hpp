// The subcommands behind the CLI; each returns the process exit status.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace newsmon::cli {

struct GlobalOptions {
    std::string config_file;              // --config; empty means the default lookup
    std::optional<std::string> log_level; // --log-level
};

int command_run(const GlobalOptions& options);
int command_poll_once(const GlobalOptions& options);
int command_migrate(const GlobalOptions& options, bool status_only);
int command_check_config(const GlobalOptions& options);
int command_print_defaults();
int command_web(const GlobalOptions& options);
int command_version();

struct ParseCommand {
    std::string input = "-"; // a file, or "-" for standard input
    std::string feed_url;
    std::string content_type;
    std::string charset; // over the Content-Type's and the declaration
    bool json = false;
};
int command_parse(const ParseCommand& command);

struct SearchCommand {
    std::string query; // the alert query language; empty with --topic: the topic's articles
    std::string topic;
    std::string since; // a date, a time or a duration such as "7d"; empty for no limit
    int limit = 20;
    bool json = false;
};
int command_search(const GlobalOptions& options, const SearchCommand& command);

struct StoriesCommand {
    std::string since = "24h"; // stories seen this recently
    std::string topic;
    int limit = 20;
    bool json = false;
};
int command_stories(const GlobalOptions& options, const StoriesCommand& command);

struct RestoryCommand {
    std::string since; // a date, an RFC 3339 time, or a duration; empty: every article
};
int command_restory(const GlobalOptions& options, const RestoryCommand& command);

struct TagCommand {
    std::string title;
    std::string input = "-"; // the body: a file, or "-" for standard input
    std::string language;    // empty: detected from the text
    bool json = false;
};
int command_tag(const GlobalOptions& options, const TagCommand& command);

struct RetagCommand {
    std::string since; // a date, an RFC 3339 time, or a duration such as "30d"
    std::string topic;
};
int command_retag(const GlobalOptions& options, const RetagCommand& command);

struct ReparseCommand {
    std::string since; // bodies fetched since: a date, an RFC 3339 time, or a duration
    std::string feed;  // a feed's name or URL
};
int command_reparse(const GlobalOptions& options, const ReparseCommand& command);

// `rollups rebuild`.
int command_rollups_rebuild(const GlobalOptions& options);

struct ExtractCommand {
    std::string input;    // a file, "-" for standard input, or an http(s) URL to fetch
    std::string page_url; // base for relative links (defaults to the URL fetched)
    std::string content_type;
    bool json = false;
};
int command_extract(const GlobalOptions& options, const ExtractCommand& command);

// `feeds [--json]`, `feeds export`, `feeds import FILE [--output FILE]`.
struct FeedsCommand {
    std::string action; // empty: list; "export", "import"
    bool json = false;
    std::string input;  // import: an OPML file, or "-" for standard input
    std::string output; // import: write the [[feed]] blocks here (a new file), not to stdout
};
int command_feeds(const GlobalOptions& options, const FeedsCommand& command);

// `alert add|list|enable|disable|rm|test|retry|log`.
struct AlertCommand {
    std::string action;
    std::string name;  // add, enable, disable, rm; retry, log (optional)
    std::string query; // add (--query); test (positional: a saved rule's name, else a query)
    std::string spike; // add --spike: the query of a spike rule
    std::string window = "1h";
    std::string baseline = "14d";
    int min_count = 5;
    std::vector<std::string> webhooks;
    std::vector<std::string> emails;
    bool notify = false;
    std::string digest;          // "1h"; empty: one message per article
    std::string per = "article"; // or "story"
    int updates = 0;             // per story: an update per N more feeds; 0: none
    std::string secret;          // --secret: visible in ps and shell history, so warned about
    std::string secret_file;     // --secret-file: its first line; "-" for standard input
    std::string since;           // test: a duration, empty for 7d; log: a date or a duration
    int limit = 50;              // test, log
    bool json = false;           // list, test, log
};
int command_alert(const GlobalOptions& options, const AlertCommand& command);

} // namespace newsmon::cli

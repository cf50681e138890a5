// The daemon's settings as loaded from newsmon.toml, and the loader that reports every problem.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "config/units.hpp"
#include "tag/topic_config.hpp"

namespace newsmon::config {

struct DatabaseSettings {
    std::string url = "postgresql:///newsmon";
    bool migrate = true;
    // A streaming replica for what only reads (newsmon web, search, stories, feeds); empty: url.
    std::string read_url;

    // Where the read side connects: read_url when set, else url.
    [[nodiscard]] const std::string& reads() const { return read_url.empty() ? url : read_url; }
};

struct HttpSettings {
    std::string user_agent = "newsmon/" NEWSMON_VERSION " (media monitor)";
    Duration timeout = std::chrono::seconds{30};
    Duration connect_timeout = std::chrono::seconds{10};
    ByteSize max_body{16ULL << 20};
    int concurrency = 32;
    int per_host = 2;
    bool block_private = true;
};

struct ServerSettings {
    std::string listen = "127.0.0.1:9464";
};

// A poll interval: fixed, or "auto" (adapted to how often the feed publishes; `fixed` is then
// the starting point until the feed has a rhythm).
struct PollInterval {
    bool automatic = false;
    Duration fixed = std::chrono::minutes{15};
};

// When to fetch an item's article page for its full text: "auto" when the feed carries only a
// teaser (shorter than full_text_min_chars, or ending like one), "always", or "never".
struct DefaultsSettings {
    PollInterval interval;
    std::string full_text = "auto";
    int full_text_min_chars = 500;
    Duration min_interval = std::chrono::minutes{2};
    Duration max_interval = std::chrono::hours{24};
    Duration max_backoff = std::chrono::hours{24};
};

struct DaemonSettings {
    std::string state_dir; // the spool lives here; empty: $STATE_DIRECTORY, else ./var
    Duration lease = std::chrono::minutes{5}; // how long a claimed feed stays this instance's
    std::string instance;                     // name in feeds.lease_owner; empty: host:pid
};

struct LogSettings {
    std::string level = "info";
    std::string format = "text";
};

struct RetentionSettings {
    Duration fetch_log = std::chrono::hours{24 * 30};
    Duration articles{0};         // zero keeps every article
    Duration alert_deliveries{0}; // zero keeps delivered alerts as long as their articles
};

// The raw archive: every feed body that changed and every article page fetched, compressed, kept
// for `keep` so that `newsmon reparse` can read them again; zero keeps nothing.
struct ArchiveSettings {
    Duration keep = std::chrono::hours{24 * 90};
};

// E-mail alerts go through this server. The password never sits in the TOML file: it comes
// from a systemd credential named smtp_password, else $NEWSMON_SMTP_PASSWORD, else the file
// named by password_file.
// Story assignment: a new article joins the story of the most alike earlier report of the
// same event published within `window` of it.
struct StorySettings {
    Duration window = std::chrono::hours{72};
};

struct SmtpSettings {
    std::string url;  // smtp://host:587 (STARTTLS when offered) or smtps://host:465; empty: off
    std::string from; // the From address
    std::string username;
    std::string password_file;
    std::string password; // resolved at load, never read from the TOML file itself
};

// The read-side web process (`newsmon web`). It binds loopback unless told otherwise: another
// address needs a token_file or an explicit public_read, which the loader checks.
// Writes (alert rules) need a bearer token, from the credential web-token or token_file, and go
// through write_role on a connection of their own; public_read never opens them.
struct WebSettings {
    std::string listen = "127.0.0.1:8080";
    std::string database_url; // empty: [database] url, switched to the newsmon_analyst role
    std::string token_file;
    bool public_read = false;
    std::string write_role = "newsmon_alert_writer";
    Duration dashboard_cache = std::chrono::seconds{5}; // one rendering of / serves every client
    std::string token; // the credential web-token, resolved at load; never read from the file
};

struct AlertSettings {
    int max_attempts = 8;                              // then a delivery is failed
    Duration retry_delay = std::chrono::seconds{30};   // first retry; doubles each time
    Duration max_retry_delay = std::chrono::hours{1};  // longest wait between attempts
    Duration timeout = std::chrono::seconds{15};       // one webhook POST or SMTP session
    Duration rules_refresh = std::chrono::seconds{30}; // re-read rules even without NOTIFY
    std::vector<std::string> webhook_allow; // private hosts and networks webhooks may reach
};

struct FeedConfig {
    std::string name;
    std::string url;
    std::optional<PollInterval> interval;
    std::optional<std::string> language;
    std::vector<std::string> categories;
    std::optional<std::string> user_agent;
    std::optional<std::string> full_text;
    std::optional<int> full_text_min_chars;
    std::optional<std::string> charset;  // the feed's encoding, over what it declares
    std::optional<std::string> category; // "News/World": its folder in OPML, nothing else
};

using TopicConfig = tag::TopicConfig; // kept with the tagger, which compiles it

struct Config {
    std::filesystem::path path;
    DatabaseSettings database;
    HttpSettings http;
    ServerSettings server;
    DefaultsSettings defaults;
    LogSettings log;
    RetentionSettings retention;
    ArchiveSettings archive;
    DaemonSettings daemon;
    SmtpSettings smtp;
    AlertSettings alerts;
    StorySettings stories;
    WebSettings web;
    std::vector<FeedConfig> feeds;
    std::vector<TopicConfig> topics;

    [[nodiscard]] PollInterval interval_of(const FeedConfig& feed) const {
        return feed.interval.value_or(defaults.interval);
    }
    [[nodiscard]] const std::string& full_text_of(const FeedConfig& feed) const {
        return feed.full_text ? *feed.full_text : defaults.full_text;
    }
    [[nodiscard]] int full_text_min_chars_of(const FeedConfig& feed) const {
        return feed.full_text_min_chars.value_or(defaults.full_text_min_chars);
    }
    [[nodiscard]] const std::string& user_agent_of(const FeedConfig& feed) const {
        return feed.user_agent ? *feed.user_agent : http.user_agent;
    }
};

// One key of the file as it is documented: "[http] timeout", its default as written in TOML,
// what that default means when it is decided at run time ("host:pid"), and what it does.
struct KeyDescription {
    std::string key;
    std::string default_text; // empty for a required key
    std::string note;         // empty unless the default is decided at run time
    std::string help;
};

// Whether a listen address ("host:port") only accepts connections from this machine.
[[nodiscard]] bool is_loopback_listen(const std::string& listen);

// Every key newsmon reads, in the order of the file.
[[nodiscard]] std::vector<KeyDescription> describe_keys();

// describe_keys() as the Markdown table of the README's "Configuration" section, which
// `newsmon check-config --defaults` prints.
[[nodiscard]] std::string keys_as_markdown();

enum class Severity { warning, error };

// One problem found in a config file; `line` and `column` are 1-based, 0 when unknown.
struct Diagnostic {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
    Severity severity = Severity::error;
    std::string message;

    [[nodiscard]] std::string to_string() const; // "file:line:col: error: message"
};

struct LoadResult {
    std::optional<Config> config; // set when there is no error
    std::vector<Diagnostic> diagnostics;
    bool file_holds_password = false; // [database] url, as written in the file
};

// Reads and validates the file, collecting every problem rather than stopping at the first.
// The database URL comes from, in order: a systemd credential named database_url
// ($CREDENTIALS_DIRECTORY/database_url), $NEWSMON_DATABASE_URL, [database] url. A password in
// a file that others may read is a warning.
[[nodiscard]] LoadResult load_config(const std::filesystem::path& path);

// Same, from text already in memory; `name` is used in diagnostics.
[[nodiscard]] LoadResult load_config_text(std::string_view text, const std::string& name);

// --config, else $NEWSMON_CONFIG, else /etc/newsmon/newsmon.toml.
[[nodiscard]] std::filesystem::path default_config_path(const std::string& from_command_line);

} // namespace newsmon::config

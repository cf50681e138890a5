#include "config/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "config/key_table.hpp"
#include "config/network_entry.hpp"
#include "tag/term.hpp"

namespace newsmon::config {
namespace {

ConvertError at_least_one(const int& value) {
    if (value < 1)
        return "must be 1 or more, got " + std::to_string(value);
    return std::nullopt;
}

ConvertError positive_duration(const Duration& value) {
    if (value.count() <= 0)
        return std::string("must be longer than zero");
    return std::nullopt;
}

// Zero keeps every article. Anything else deletes, so a slip such as "24m" (minutes, not
// months) is refused rather than emptying the archive within the hour.
// A retention that deletes: "0s" (`zero_keeps` says what it keeps) or a day or more, since a
// value under a day is a slip of m (minutes) for months that would empty the table.
std::function<ConvertError(const Duration&)> retention_of_days(std::string zero_keeps,
                                                               std::string example) {
    return [zero_keeps = std::move(zero_keeps),
            example = std::move(example)](const Duration& value) -> ConvertError {
        if (value.count() != 0 && value < std::chrono::hours{24})
            return "must be \"0s\" (" + zero_keeps +
                   ") or at least \"1d\"; m is minutes: " + "write months as days, e.g. " + example;
        return std::nullopt;
    };
}

ConvertError not_negative_duration(const Duration& value) {
    if (value.count() < 0)
        return std::string("must not be negative");
    return std::nullopt;
}

ConvertError http_url(const std::string& url) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        return "expected an http:// or https:// URL, got \"" + url + "\"";
    if (url.find_first_of(" \t\r\n") != std::string::npos)
        return "URL \"" + url + "\" contains white space";
    return std::nullopt;
}

ConvertError one_of_levels(const std::string& level) {
    static const std::set<std::string> k_levels = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
    if (!k_levels.contains(level))
        return "unknown log level \"" + level +
               "\" (trace, debug, info, warn, error, critical, off)";
    return std::nullopt;
}

ConvertError one_of_formats(const std::string& format) {
    if (format != "text" && format != "json")
        return "unknown log format \"" + format + "\" (text or json)";
    return std::nullopt;
}

// The key tables: each [section] and each [[array]] entry lists every key it accepts.
const std::vector<KeySpec<DatabaseSettings>>& database_keys() {
    static const std::vector<KeySpec<DatabaseSettings>> k_keys = {
        key("url", &DatabaseSettings::url,
            "libpq URI or key=value string; `$NEWSMON_DATABASE_URL` overrides it"),
        key("migrate", &DatabaseSettings::migrate, "apply pending migrations when `run` starts"),
        noted_key("read_url", &DatabaseSettings::read_url, "`url`",
                  "a streaming replica for what only reads: `newsmon web` (unless `[web] "
                  "database_url` is set), `search`, `stories`, `feeds`; writes always go to `url`"),
    };
    return k_keys;
}

const std::vector<KeySpec<HttpSettings>>& http_keys() {
    static const std::vector<KeySpec<HttpSettings>> k_keys = {
        noted_key("user_agent", &HttpSettings::user_agent,
                  "`\"newsmon/<version> (media monitor)\"`", "User-Agent of every request"),
        key<HttpSettings, Duration>("timeout", &HttpSettings::timeout,
                                    "longest time a whole transfer may take", positive_duration),
        key<HttpSettings, Duration>("connect_timeout", &HttpSettings::connect_timeout,
                                    "longest time to connect", positive_duration),
        key("max_body", &HttpSettings::max_body,
            "largest body accepted, after decompression; larger downloads are aborted"),
        key<HttpSettings, int>("concurrency", &HttpSettings::concurrency,
                               "transfers in flight at once", at_least_one),
        key<HttpSettings, int>("per_host", &HttpSettings::per_host,
                               "transfers in flight at once to one host", at_least_one),
        key("block_private", &HttpSettings::block_private,
            "refuse loopback, private, link-local, metadata and other non-public addresses (see "
            "\"Running the daemon\"), through a proxy too"),
    };
    return k_keys;
}

// host:port with a port of 0 to 65535 (0: any free one), an IPv6 host in brackets, or "off".
ConvertError listen_address(const std::string& listen) {
    if (listen == "off")
        return std::nullopt;
    auto expected = [&] {
        return "expected host:port (port 0 to 65535; [::1]:9464 for IPv6) or \"off\", got \"" +
               listen + "\"";
    };
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return expected();
    std::string_view host(listen.data(), colon), digits(listen.data() + colon + 1);
    int port = -1;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        port < 0 || port > 65535)
        return expected();
    bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
    if (!bracketed && host.find_first_of(":[] \t") != std::string_view::npos)
        return expected();
    return std::nullopt;
}

const std::vector<KeySpec<ServerSettings>>& server_keys() {
    static const std::vector<KeySpec<ServerSettings>> k_keys = {
        key<ServerSettings, std::string>(
            "listen", &ServerSettings::listen,
            "address for `/metrics` and `/healthz`: `host:port` (IPv6 as `[::1]:9464`; `:0` picks "
            "a free port) or `\"off\"`; `check-config` checks it",
            listen_address),
    };
    return k_keys;
}

// [web] listen: host:port as [server] listen takes it, but never "off" (the process exists to
// serve).
ConvertError web_listen_address(const std::string& listen) {
    if (listen == "off")
        return std::string("expected host:port; to serve nothing, do not start `newsmon web`");
    return listen_address(listen);
}

// The first line of a file, trailing blanks dropped; nullopt when unreadable or empty.
std::optional<std::string> first_line_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return std::nullopt;
    std::string value;
    std::getline(in, value);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
        value.pop_back();
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

std::optional<std::string> credential(const char* name) {
    const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
    if (!directory || !*directory)
        return std::nullopt;
    return first_line_of(std::filesystem::path(directory) / name);
}

// A PostgreSQL role as it is written without quotes, which is how the migrations create theirs.
ConvertError role_name(const std::string& role) {
    bool plain = !role.empty() && role.size() <= 63 &&
                 (std::islower(static_cast<unsigned char>(role[0])) || role[0] == '_') &&
                 std::all_of(role.begin(), role.end(), [](char c) {
                     return std::islower(static_cast<unsigned char>(c)) ||
                            std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                 });
    if (!plain)
        return "expected a role name such as \"newsmon_alert_writer\" (lower-case letters, digits "
               "and _), got \"" +
               role + "\"";
    return std::nullopt;
}

const std::vector<KeySpec<WebSettings>>& web_keys() {
    static const std::vector<KeySpec<WebSettings>> k_keys = {
        key<WebSettings, std::string>(
            "listen", &WebSettings::listen,
            "address of `newsmon web` (`host:port`); another than loopback needs `token_file` "
            "or `public_read = true`",
            web_listen_address),
        noted_key("database_url", &WebSettings::database_url,
                  "`[database] url` as `newsmon_analyst`",
                  "database the web process reads; it switches to the `newsmon_analyst` role "
                  "when that role exists"),
        noted_key("token_file", &WebSettings::token_file, "none",
                  "file holding the bearer token that web clients must send"),
        key("public_read", &WebSettings::public_read,
            "serve reads to anyone who reaches `listen`, without a token; never writes"),
        key<WebSettings, std::string>(
            "write_role", &WebSettings::write_role,
            "role the write endpoints (adding, enabling, disabling alert rules) switch to, on a "
            "connection of their own; writes also need a bearer token",
            role_name),
        key<WebSettings, Duration>(
            "dashboard_cache", &WebSettings::dashboard_cache,
            "how long one rendering of the dashboard `/` is served to every client; `\"0s\"` "
            "renders it for each request",
            not_negative_duration),
    };
    return k_keys;
}

ConvertError positive_interval(const PollInterval& value) {
    return value.automatic ? std::nullopt : positive_duration(value.fixed);
}

ConvertError full_text_mode(const std::string& mode) {
    if (mode != "auto" && mode != "always" && mode != "never")
        return "expected \"auto\", \"always\" or \"never\", got \"" + mode + "\"";
    return std::nullopt;
}

ConvertError zero_or_more(const int& value) {
    if (value < 0)
        return "must be 0 or more, got " + std::to_string(value);
    return std::nullopt;
}

const std::vector<KeySpec<DefaultsSettings>>& defaults_keys() {
    static const std::vector<KeySpec<DefaultsSettings>> k_keys = {
        key<DefaultsSettings, PollInterval>("interval", &DefaultsSettings::interval,
                                            "poll interval of feeds that set none, or `\"auto\"`",
                                            positive_interval),
        key<DefaultsSettings, std::string>(
            "full_text", &DefaultsSettings::full_text,
            "fetch article pages: `auto` (teasers only), `always`, `never`", full_text_mode),
        key<DefaultsSettings, int>("full_text_min_chars", &DefaultsSettings::full_text_min_chars,
                                   "`auto` fetches the page when the feed's text is shorter",
                                   zero_or_more),
        key<DefaultsSettings, Duration>("min_interval", &DefaultsSettings::min_interval,
                                        "shortest interval `\"auto\"` may choose",
                                        positive_duration),
        key<DefaultsSettings, Duration>("max_interval", &DefaultsSettings::max_interval,
                                        "longest interval `\"auto\"` may choose",
                                        positive_duration),
        key<DefaultsSettings, Duration>("max_backoff", &DefaultsSettings::max_backoff,
                                        "longest wait after repeated failures", positive_duration),
    };
    return k_keys;
}

const std::vector<KeySpec<DaemonSettings>>& daemon_keys() {
    static const std::vector<KeySpec<DaemonSettings>> k_keys = {
        noted_key("state_dir", &DaemonSettings::state_dir, "`$STATE_DIRECTORY`, else `./var`",
                  "where the spool is kept"),
        key<DaemonSettings, Duration>("lease", &DaemonSettings::lease,
                                      "how long a claimed feed belongs to this instance",
                                      positive_duration),
        noted_key("instance", &DaemonSettings::instance, "host:pid",
                  "this instance's name in `feeds.lease_owner`"),
    };
    return k_keys;
}

const std::vector<KeySpec<LogSettings>>& log_keys() {
    static const std::vector<KeySpec<LogSettings>> k_keys = {
        key<LogSettings, std::string>(
            "level", &LogSettings::level,
            "trace, debug, info, warn, error, critical, off; `--log-level` overrides it",
            one_of_levels),
        key<LogSettings, std::string>("format", &LogSettings::format, "`text` or `json`",
                                      one_of_formats),
    };
    return k_keys;
}

const std::vector<KeySpec<RetentionSettings>>& retention_keys() {
    static const std::vector<KeySpec<RetentionSettings>> k_keys = {
        key<RetentionSettings, Duration>(
            "fetch_log", &RetentionSettings::fetch_log,
            "how long `fetch_log` rows are kept; hourly, each day's partition is dropped "
            "once all of it is older",
            positive_duration),
        key<RetentionSettings, Duration>(
            "articles", &RetentionSettings::articles,
            "how long articles are kept, by publication time; a story goes, with its articles, "
            "their topics and alerts, when its latest report is older; hourly, in batches; an "
            "item older than this is not stored; `\"0s\"` keeps every article",
            retention_of_days("keep every article", "\"180d\", or years, \"2y\"")),
        key<RetentionSettings, Duration>(
            "alert_deliveries", &RetentionSettings::alert_deliveries,
            "how long delivered alerts are kept (sent, or failed for good); older ones are "
            "deleted hourly unless their story is still reported within it, and an article "
            "published or first stored before it raises no alert; `\"0s\"` keeps them as long "
            "as their articles; read at start",
            retention_of_days("keep delivered alerts with their articles", "\"90d\"")),
    };
    return k_keys;
}

const std::vector<KeySpec<ArchiveSettings>>& archive_keys() {
    static const std::vector<KeySpec<ArchiveSettings>> k_keys = {
        key<ArchiveSettings, Duration>(
            "keep", &ArchiveSettings::keep,
            "how long fetched feed bodies and article pages are kept, zstd-compressed, for "
            "`newsmon reparse`; hourly, each week's partition is dropped once all of it is "
            "older; `\"0s\"` archives nothing",
            not_negative_duration),
    };
    return k_keys;
}

const std::vector<KeySpec<StorySettings>>& story_keys() {
    static const std::vector<KeySpec<StorySettings>> k_keys = {
        key<StorySettings, Duration>(
            "window", &StorySettings::window,
            "a new article joins a story only if its report of the same event was published "
            "within this time of it; `\"0s\"` turns clustering off (every article a story of its "
            "own, no signatures kept)",
            not_negative_duration),
    };
    return k_keys;
}

ConvertError smtp_url(const std::string& url) {
    if (!url.empty() && !url.starts_with("smtp://") && !url.starts_with("smtps://"))
        return "expected an smtp:// or smtps:// URL, got \"" + url + "\"";
    return std::nullopt;
}

const std::vector<KeySpec<SmtpSettings>>& smtp_keys() {
    static const std::vector<KeySpec<SmtpSettings>> k_keys = {
        noted_key<SmtpSettings, std::string>("url", &SmtpSettings::url, "none (e-mail off)",
                                             "`smtp://host:587` (STARTTLS when offered, required "
                                             "with a username) or `smtps://host:465`",
                                             smtp_url),
        noted_key("from", &SmtpSettings::from, "`newsmon@<host name>`",
                  "From address of alert mail"),
        noted_key("username", &SmtpSettings::username, "none",
                  "SMTP login; `$NEWSMON_SMTP_USERNAME` overrides it"),
        noted_key("password_file", &SmtpSettings::password_file, "none",
                  "file holding the SMTP password, when neither the `smtp_password` credential nor "
                  "`$NEWSMON_SMTP_PASSWORD` gives it (see \"Secrets\")"),
    };
    return k_keys;
}

ConvertError webhook_targets(const std::vector<std::string>& entries) {
    for (const auto& entry : entries)
        if (auto error = check_address_entry(entry))
            return error;
    return std::nullopt;
}

const std::vector<KeySpec<AlertSettings>>& alert_keys() {
    static const std::vector<KeySpec<AlertSettings>> k_keys = {
        key<AlertSettings, int>("max_attempts", &AlertSettings::max_attempts,
                                "attempts before a delivery is marked `failed`", at_least_one),
        key<AlertSettings, Duration>("retry_delay", &AlertSettings::retry_delay,
                                     "wait before the first retry; it doubles with each attempt",
                                     positive_duration),
        key<AlertSettings, Duration>("max_retry_delay", &AlertSettings::max_retry_delay,
                                     "longest wait between two attempts", positive_duration),
        key<AlertSettings, Duration>("timeout", &AlertSettings::timeout,
                                     "time limit of one webhook POST or SMTP session",
                                     positive_duration),
        key<AlertSettings, Duration>("rules_refresh", &AlertSettings::rules_refresh,
                                     "re-read rules this often even without a notification",
                                     positive_duration),
        key<AlertSettings, std::vector<std::string>>(
            "webhook_allow", &AlertSettings::webhook_allow,
            "host names and networks (`\"10.1.0.0/16\"`) on private, loopback or link-local "
            "addresses that webhooks may reach",
            webhook_targets),
    };
    return k_keys;
}

// A folder path as OPML nests it: names joined by "/", none empty, no control character.
ConvertError folder_path(const std::string& path) {
    if (path.size() > 200)
        return "longer than 200 bytes";
    if (path.empty() || path.front() == '/' || path.back() == '/' ||
        path.find("//") != std::string::npos)
        return "expected folder names joined by \"/\" (\"News/World\"), got \"" + path + "\"";
    if (std::any_of(path.begin(), path.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7F;
        }))
        return std::string("contains a control character");
    return std::nullopt;
}

const std::vector<KeySpec<FeedConfig>>& feed_keys() {
    static const std::vector<KeySpec<FeedConfig>> k_keys = {
        required_key("name", &FeedConfig::name, "a feed's name, shown in logs and views"),
        required_key<FeedConfig, std::string>("url", &FeedConfig::url,
                                              "the feed to poll (http or https)", http_url),
        noted_key<FeedConfig, std::optional<PollInterval>>(
            "interval", &FeedConfig::interval, "`[defaults] interval`",
            "this feed's poll interval, or `\"auto\"`",
            [](const std::optional<PollInterval>& value) { return positive_interval(*value); }),
        noted_key("language", &FeedConfig::language, "none", "language of its articles"),
        key("categories", &FeedConfig::categories,
            "keep only items filed under one of these `<category>` values (case-insensitive)"),
        noted_key("user_agent", &FeedConfig::user_agent, "`[http] user_agent`",
                  "User-Agent for this feed only (some sites refuse non-browser agents)"),
        noted_key<FeedConfig, std::optional<std::string>>(
            "full_text", &FeedConfig::full_text, "`[defaults] full_text`",
            "this feed's page fetching: `auto`, `always` or `never`",
            [](const std::optional<std::string>& mode) { return full_text_mode(*mode); }),
        noted_key<FeedConfig, std::optional<int>>(
            "full_text_min_chars", &FeedConfig::full_text_min_chars,
            "`[defaults] full_text_min_chars`", "this feed's `auto` threshold",
            [](const std::optional<int>& value) { return zero_or_more(*value); }),
        noted_key("charset", &FeedConfig::charset, "none",
                  "this feed's encoding (`\"windows-1251\"`), over its HTTP charset and XML "
                  "declaration (a byte order mark still wins); for feeds that declare none or "
                  "the wrong one"),
        noted_key<FeedConfig, std::optional<std::string>>(
            "category", &FeedConfig::category, "none",
            "the feed's folder in `feeds export` (OPML), nested with `/` (`\"News/World\"`); "
            "it changes nothing else",
            [](const std::optional<std::string>& path) { return folder_path(*path); }),
    };
    return k_keys;
}

ConvertError valid_terms(const std::vector<std::string>& terms) {
    for (const auto& text : terms)
        if (auto term = tag::parse_term(text); !term)
            return term.error();
    return std::nullopt;
}

ConvertError valid_excludes(const std::vector<std::string>& terms) {
    if (auto error = valid_terms(terms))
        return error;
    for (const auto& text : terms)
        if (tag::parse_term(text)->weak)
            return "exclude phrase \"" + text + "\" cannot be weak";
    return std::nullopt;
}

const std::vector<KeySpec<TopicConfig>>& topic_keys() {
    static const std::vector<KeySpec<TopicConfig>> k_keys = {
        required_key("name", &TopicConfig::name, "a topic to tag articles with (see \"Topics\")"),
        key("description", &TopicConfig::description, "what the topic is about"),
        key<TopicConfig, std::vector<std::string>>("terms", &TopicConfig::terms,
                                                   "terms that tag; at least one", valid_terms),
        key<TopicConfig, std::vector<std::string>>("exclude", &TopicConfig::exclude,
                                                   "phrases that cancel a match inside them",
                                                   valid_excludes),
        key<TopicConfig, int>("min_score", &TopicConfig::min_score,
                              "score an article needs to get the topic", at_least_one),
    };
    return k_keys;
}

template <class Target>
void describe(std::vector<KeyDescription>& out, std::string_view section,
              const std::vector<KeySpec<Target>>& keys) {
    for (const auto& spec : keys)
        out.push_back({std::string(section) + " " + std::string(spec.name), spec.default_text,
                       std::string(spec.note), std::string(spec.help)});
}

class Loader {
public:
    explicit Loader(std::string file) : m_file(std::move(file)) {}

    void error_at(const toml::source_region& where, std::string message) {
        m_diagnostics.push_back(
            {m_file, where.begin.line, where.begin.column, Severity::error, std::move(message)});
    }

    template <class Target>
    void read_table(const toml::table& table, const std::vector<KeySpec<Target>>& keys,
                    Target& target, const std::string& section) {
        std::vector<std::string_view> names;
        for (const auto& spec : keys)
            names.push_back(spec.name);
        for (auto&& [name, node] : table) {
            std::string_view key_name = name.str();
            auto spec = std::find_if(keys.begin(), keys.end(),
                                     [key_name](const auto& s) { return s.name == key_name; });
            if (spec == keys.end()) {
                report_unknown(name, names, "key", section);
                continue;
            }
            if (auto problem = spec->apply(target, node))
                error_at(node.source(), section + " " + std::string(name.str()) + ": " + *problem);
        }
        for (const auto& spec : keys)
            if (spec.required && !table.contains(spec.name))
                error_at(table.source(),
                         section + " is missing required key '" + std::string(spec.name) + "'");
    }

    template <class Target>
    void read_section(const toml::table& root, std::string_view name,
                      const std::vector<KeySpec<Target>>& keys, Target& target) {
        const toml::node* node = root.get(name);
        if (!node)
            return;
        std::string section = "[" + std::string(name) + "]";
        if (const auto* table = node->as_table())
            read_table(*table, keys, target, section);
        else
            error_at(node->source(), section + " must be a table");
    }

    template <class Target>
    void read_array(const toml::table& root, std::string_view name,
                    const std::vector<KeySpec<Target>>& keys, std::vector<Target>& out) {
        const toml::node* node = root.get(name);
        if (!node)
            return;
        const auto* array = node->as_array();
        if (!array || !array->is_array_of_tables()) {
            error_at(node->source(), "[[" + std::string(name) + "]] must be an array of tables");
            return;
        }
        for (const toml::node& element : *array) {
            std::string section =
                "[[" + std::string(name) + "]] #" + std::to_string(out.size() + 1);
            read_table(*element.as_table(), keys, out.emplace_back(), section);
        }
    }

    void report_unknown(const toml::key& name, const std::vector<std::string_view>& known,
                        std::string_view what, const std::string& section) {
        std::string message = "unknown " + std::string(what) + " '" + std::string(name.str()) + "'";
        if (!section.empty())
            message += " in " + section;
        if (auto suggestion = closest_name(name.str(), known))
            message += "; did you mean '" + std::string(*suggestion) + "'?";
        error_at(name.source(), std::move(message));
    }

    Config read(const toml::table& root) {
        static const std::vector<std::string_view> k_sections = {
            "database", "http", "server", "defaults", "log", "retention", "archive",
            "daemon",   "smtp", "alerts", "stories",  "web", "feed",      "topic"};
        for (auto&& [name, node] : root)
            if (std::find(k_sections.begin(), k_sections.end(), name.str()) == k_sections.end())
                report_unknown(name, k_sections, "section", "");
        Config config;
        read_section(root, "database", database_keys(), config.database);
        read_section(root, "http", http_keys(), config.http);
        read_section(root, "server", server_keys(), config.server);
        read_section(root, "defaults", defaults_keys(), config.defaults);
        read_section(root, "log", log_keys(), config.log);
        read_section(root, "retention", retention_keys(), config.retention);
        read_section(root, "archive", archive_keys(), config.archive);
        read_section(root, "daemon", daemon_keys(), config.daemon);
        read_section(root, "smtp", smtp_keys(), config.smtp);
        read_section(root, "alerts", alert_keys(), config.alerts);
        read_section(root, "stories", story_keys(), config.stories);
        read_section(root, "web", web_keys(), config.web);
        // Before the exposure check, which a token from the credential satisfies as well.
        if (auto token = credential("web-token"))
            config.web.token = *token;
        read_array(root, "feed", feed_keys(), config.feeds);
        read_array(root, "topic", topic_keys(), config.topics);
        check_unique_feeds(root, config);
        check_topics(root, config);
        check_web_exposure(root, config.web);
        return config;
    }

    // The API reads everything analysts read, so it leaves this machine only when the
    // operator said how: a token, or reads open to all.
    void check_web_exposure(const toml::table& root, const WebSettings& web) {
        if (is_loopback_listen(web.listen) || !web.token_file.empty() || !web.token.empty() ||
            web.public_read)
            return;
        const toml::node* where = root["web"]["listen"].node();
        error_at(where ? where->source() : root.source(),
                 "[web] listen: \"" + web.listen +
                     "\" is not a loopback address; set [web] token_file, or [web] public_read = "
                     "true to serve it to anyone who can reach it");
    }

    void check_unique_feeds(const toml::table& root, const Config& config) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < config.feeds.size(); ++i) {
            const auto& url = config.feeds[i].url;
            if (!url.empty() && !seen.insert(url).second)
                error_at(root["feed"][i]["url"].node()->source(),
                         "[[feed]] #" + std::to_string(i + 1) + " url: duplicate feed URL " + url);
        }
    }

    void check_topics(const toml::table& root, const Config& config) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < config.topics.size(); ++i) {
            const auto& topic = config.topics[i];
            const toml::node* where = root["topic"][i].node();
            std::string section = "[[topic]] #" + std::to_string(i + 1);
            if (!topic.name.empty() && !seen.insert(topic.name).second)
                error_at(where->source(), section + ": duplicate topic name " + topic.name);
            if (!topic.name.empty() && topic.terms.empty())
                error_at(where->source(), section + " (" + topic.name + ") has no terms");
        }
    }

    LoadResult finish(Config config) {
        std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(),
                         [](const auto& a, const auto& b) {
                             return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                         });
        bool failed = std::any_of(m_diagnostics.begin(), m_diagnostics.end(),
                                  [](const auto& d) { return d.severity == Severity::error; });
        LoadResult result;
        if (!failed)
            result.config = std::move(config);
        result.diagnostics = std::move(m_diagnostics);
        return result;
    }

private:
    std::string m_file;
    std::vector<Diagnostic> m_diagnostics;
};

} // namespace

std::vector<KeyDescription> describe_keys() {
    std::vector<KeyDescription> keys;
    describe(keys, "[database]", database_keys());
    describe(keys, "[http]", http_keys());
    describe(keys, "[server]", server_keys());
    describe(keys, "[defaults]", defaults_keys());
    describe(keys, "[daemon]", daemon_keys());
    describe(keys, "[log]", log_keys());
    describe(keys, "[retention]", retention_keys());
    describe(keys, "[archive]", archive_keys());
    describe(keys, "[alerts]", alert_keys());
    describe(keys, "[smtp]", smtp_keys());
    describe(keys, "[stories]", story_keys());
    describe(keys, "[web]", web_keys());
    describe(keys, "[[feed]]", feed_keys());
    describe(keys, "[[topic]]", topic_keys());
    return keys;
}

std::string keys_as_markdown() {
    std::string table = "| key | default | meaning |\n|---|---|---|\n";
    for (const auto& key : describe_keys()) {
        std::string default_cell = !key.note.empty()          ? key.note
                                   : key.default_text.empty() ? "required"
                                                              : "`" + key.default_text + "`";
        table += "| `" + key.key + "` | " + default_cell + " | " + key.help + " |\n";
    }
    return table;
}

bool is_loopback_listen(const std::string& listen) {
    auto colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost" || host == "::1")
        return true;
    // 127.0.0.0/8, written as a dotted quad
    if (!host.starts_with("127."))
        return false;
    return host.find_first_not_of("0123456789.") == std::string::npos &&
           std::count(host.begin(), host.end(), '.') == 3;
}

std::string Diagnostic::to_string() const {
    std::ostringstream out;
    out << file;
    if (line > 0)
        out << ':' << line << ':' << column;
    out << ": " << (severity == Severity::error ? "error" : "warning") << ": " << message;
    return out.str();
}

namespace {

// "postgresql://user:secret@host/db" or "... password=secret ...".
bool holds_password(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme != std::string::npos) {
        auto at = url.find('@', scheme + 3);
        auto colon = url.find(':', scheme + 3);
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            return true;
    }
    return url.find("password=") != std::string::npos;
}

std::optional<std::string> environment(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

std::string host_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || !*host)
        return "localhost";
    return host;
}

void resolve_smtp_secrets(SmtpSettings& smtp) {
    if (auto username = environment("NEWSMON_SMTP_USERNAME"))
        smtp.username = *username;
    if (auto password = credential("smtp_password"))
        smtp.password = *password;
    else if (auto from_env = environment("NEWSMON_SMTP_PASSWORD"))
        smtp.password = *from_env;
    else if (!smtp.password_file.empty())
        smtp.password = first_line_of(smtp.password_file).value_or("");
}

} // namespace

LoadResult load_config_text(std::string_view text, const std::string& name) {
    Loader loader(name);
    toml::table root;
    try {
        root = toml::parse(text, name);
    } catch (const toml::parse_error& error) {
        loader.error_at(error.source(), std::string(error.description()));
        return loader.finish({});
    }
    Config config = loader.read(root);
    bool file_holds_password = holds_password(config.database.url);
    if (const char* url = std::getenv("NEWSMON_DATABASE_URL"); url && *url)
        config.database.url = url;
    if (auto url = credential("database_url"))
        config.database.url = *url;
    resolve_smtp_secrets(config.smtp);
    if (config.smtp.from.empty())
        config.smtp.from = "newsmon@" + host_name();
    LoadResult result = loader.finish(std::move(config));
    result.file_holds_password = file_holds_password;
    return result;
}

namespace {

void check_password_file(const std::filesystem::path& config_path, const std::string& file,
                         std::vector<Diagnostic>& diagnostics) {
    std::error_code missing;
    auto status = std::filesystem::status(file, missing);
    if (missing || !std::filesystem::is_regular_file(status)) {
        diagnostics.push_back({config_path.string(), 0, 0, Severity::warning,
                               "[smtp] password_file " + file + " cannot be read"});
        return;
    }
    if ((status.permissions() & std::filesystem::perms::others_read) !=
        std::filesystem::perms::none)
        diagnostics.push_back(
            {config_path.string(), 0, 0, Severity::warning,
             "[smtp] password_file " + file + " may be read by others: chmod o-r it"});
}

} // namespace

LoadResult load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadResult result;
        result.diagnostics.push_back(
            {path.string(), 0, 0, Severity::error, "cannot open the config file"});
        return result;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    LoadResult result = load_config_text(buffer.str(), path.string());
    if (result.config)
        result.config->path = path;
    std::error_code ignored;
    auto permissions = std::filesystem::status(path, ignored).permissions();
    bool others_may_read =
        (permissions & std::filesystem::perms::others_read) != std::filesystem::perms::none;
    if (result.config && !result.config->smtp.password_file.empty())
        check_password_file(path, result.config->smtp.password_file, result.diagnostics);
    if (result.config && holds_password(result.config->web.database_url) && others_may_read)
        result.diagnostics.push_back(
            {path.string(), 0, 0, Severity::warning,
             "[web] database_url holds a password and others may read this file: use "
             "~/.pgpass (PGPASSFILE) for the web process's login, or chmod o-r the file"});
    if (result.file_holds_password && others_may_read)
        result.diagnostics.push_back(
            {path.string(), 0, 0, Severity::warning,
             "[database] url holds a password and others may read this file: put the URL in "
             "/etc/newsmon/environment (NEWSMON_DATABASE_URL=...) or a credential named "
             "database_url, use ~/.pgpass, or chmod o-r the file"});
    return result;
}

std::filesystem::path default_config_path(const std::string& from_command_line) {
    if (!from_command_line.empty())
        return from_command_line;
    if (const char* env = std::getenv("NEWSMON_CONFIG"); env && *env)
        return env;
    return "/etc/newsmon/newsmon.toml";
}

} // namespace newsmon::config

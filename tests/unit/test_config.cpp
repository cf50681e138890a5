#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sstream>

#include <toml++/toml.h>

#include "config/config.hpp"

using namespace newsmon::config;
using namespace std::chrono_literals;

namespace {

LoadResult load(const std::string& text) {
    return load_config_text(text, "test.toml");
}

// All diagnostics joined, for assertions on their wording.
std::string all_messages(const LoadResult& result) {
    std::string joined;
    for (const auto& d : result.diagnostics)
        joined += d.to_string() + "\n";
    return joined;
}

class ConfigTest : public ::testing::Test {
protected:
    void SetUp() override { unsetenv("NEWSMON_DATABASE_URL"); }
};

} // namespace

TEST_F(ConfigTest, EmptyFileGivesDocumentedDefaults) {
    auto result = load("");
    ASSERT_TRUE(result.config) << all_messages(result);
    const Config& c = *result.config;
    EXPECT_EQ(c.database.url, "postgresql:///newsmon");
    EXPECT_TRUE(c.database.migrate);
    EXPECT_EQ(c.http.timeout, 30s);
    EXPECT_EQ(c.http.max_body.bytes, 16u << 20);
    EXPECT_EQ(c.http.concurrency, 32);
    EXPECT_EQ(c.http.per_host, 2);
    EXPECT_TRUE(c.http.block_private);
    EXPECT_EQ(c.server.listen, "127.0.0.1:9464");
    EXPECT_EQ(c.defaults.interval.fixed, 15min);
    EXPECT_FALSE(c.defaults.interval.automatic);
    EXPECT_TRUE(c.feeds.empty());
}

TEST_F(ConfigTest, ReadsEverySection) {
    auto result = load(R"(
[database]
url = "host=/tmp dbname=x"
migrate = false
[http]
user_agent = "test-agent"
timeout = "45s"
max_body = "512KiB"
concurrency = 8
per_host = 1
block_private = false
[server]
listen = "127.0.0.1:9999"
[defaults]
interval = "5m"
[[feed]]
name = "Wire politics"
url = "https://wire.example.test/rss.php"
categories = ["Politics"]
user_agent = "Mozilla/5.0"
interval = "2m"
language = "en"
[[feed]]
name = "Second"
url = "https://second.example.test/feed"
[[topic]]
name = "nato"
description = "The alliance"
terms = ["NATO", "North Atlantic Alliance"]
exclude = ["Turkic NATO"]
min_score = 2
)");
    ASSERT_TRUE(result.config) << all_messages(result);
    const Config& c = *result.config;
    EXPECT_EQ(c.database.url, "host=/tmp dbname=x");
    EXPECT_FALSE(c.database.migrate);
    EXPECT_EQ(c.http.user_agent, "test-agent");
    EXPECT_EQ(c.http.timeout, 45s);
    EXPECT_EQ(c.http.max_body.bytes, 512u * 1024);
    EXPECT_FALSE(c.http.block_private);
    ASSERT_EQ(c.feeds.size(), 2u);
    EXPECT_EQ(c.feeds[0].categories, std::vector<std::string>{"Politics"});
    EXPECT_EQ(c.interval_of(c.feeds[0]).fixed, 2min);
    EXPECT_EQ(c.interval_of(c.feeds[1]).fixed, 5min);
    EXPECT_EQ(c.user_agent_of(c.feeds[0]), "Mozilla/5.0");
    EXPECT_EQ(c.user_agent_of(c.feeds[1]), "test-agent");
    ASSERT_EQ(c.topics.size(), 1u);
    EXPECT_EQ(c.topics[0].terms.size(), 2u);
    EXPECT_EQ(c.topics[0].min_score, 2);
}

TEST_F(ConfigTest, SyntaxErrorNamesFileLineAndColumn) {
    auto result = load("[http]\ntimeout = \"30s\"\nconcurrency = = 3\n");
    ASSERT_FALSE(result.config);
    ASSERT_EQ(result.diagnostics.size(), 1u);
    EXPECT_EQ(result.diagnostics[0].line, 3u);
    EXPECT_GT(result.diagnostics[0].column, 0u);
    EXPECT_TRUE(result.diagnostics[0].to_string().starts_with("test.toml:3:"));
}

TEST_F(ConfigTest, UnknownKeySuggestsTheNearestOne) {
    auto result = load("[http]\ntimout = \"30s\"\n");
    ASSERT_FALSE(result.config);
    EXPECT_EQ(all_messages(result),
              "test.toml:2:1: error: unknown key 'timout' in [http]; did you mean 'timeout'?\n");
}

TEST_F(ConfigTest, UnknownSectionSuggestsTheNearestOne) {
    auto result = load("[[feeds]]\nname = \"x\"\nurl = \"https://x.test/\"\n");
    ASSERT_FALSE(result.config);
    EXPECT_NE(all_messages(result).find("unknown section 'feeds'; did you mean 'feed'?"),
              std::string::npos);
}

TEST_F(ConfigTest, WrongTypesAndBadValuesAreAllReported) {
    auto result = load(R"([http]
timeout = 30
max_body = "16 MB"
concurrency = 0
[defaults]
interval = "soon"
)");
    ASSERT_FALSE(result.config);
    std::string messages = all_messages(result);
    EXPECT_EQ(result.diagnostics.size(), 4u) << messages;
    EXPECT_NE(messages.find("test.toml:2:11: error: [http] timeout: expected a duration string"),
              std::string::npos)
        << messages;
    EXPECT_NE(messages.find("test.toml:3:"), std::string::npos);
    EXPECT_NE(messages.find("concurrency: must be 1 or more"), std::string::npos);
    EXPECT_NE(messages.find("test.toml:6:12: error: [defaults] interval"), std::string::npos)
        << messages;
}

TEST_F(ConfigTest, FeedNeedsNameAndHttpUrl) {
    auto result = load(R"([[feed]]
name = "No URL"
[[feed]]
name = "Bad scheme"
url = "ftp://files.example.test/feed"
)");
    ASSERT_FALSE(result.config);
    std::string messages = all_messages(result);
    EXPECT_NE(messages.find("[[feed]] #1 is missing required key 'url'"), std::string::npos)
        << messages;
    EXPECT_NE(messages.find("test.toml:5:7: error: [[feed]] #2 url: expected an http:// or "
                            "https:// URL"),
              std::string::npos)
        << messages;
}

TEST_F(ConfigTest, DuplicateFeedUrlIsAnError) {
    auto result = load(R"([[feed]]
name = "A"
url = "https://a.example.test/rss"
[[feed]]
name = "B"
url = "https://a.example.test/rss"
)");
    ASSERT_FALSE(result.config);
    EXPECT_NE(all_messages(result).find("test.toml:6:7: error: [[feed]] #2 url: duplicate"),
              std::string::npos)
        << all_messages(result);
}

TEST_F(ConfigTest, EnvironmentOverridesDatabaseUrl) {
    setenv("NEWSMON_DATABASE_URL", "host=/run/elsewhere dbname=news", 1);
    auto result = load("[database]\nurl = \"postgresql:///newsmon\"\n");
    unsetenv("NEWSMON_DATABASE_URL");
    ASSERT_TRUE(result.config);
    EXPECT_EQ(result.config->database.url, "host=/run/elsewhere dbname=news");
}

TEST_F(ConfigTest, MissingFileIsAnErrorNamingIt) {
    auto result = load_config("/nonexistent/newsmon.toml");
    ASSERT_FALSE(result.config);
    EXPECT_EQ(result.diagnostics.at(0).to_string(),
              "/nonexistent/newsmon.toml: error: cannot open the config file");
}

TEST_F(ConfigTest, ConfigPathPrecedence) {
    setenv("NEWSMON_CONFIG", "/from/env.toml", 1);
    EXPECT_EQ(default_config_path("/from/flag.toml"), "/from/flag.toml");
    EXPECT_EQ(default_config_path(""), "/from/env.toml");
    unsetenv("NEWSMON_CONFIG");
    EXPECT_EQ(default_config_path(""), "/etc/newsmon/newsmon.toml");
}

TEST_F(ConfigTest, ShippedExampleConfigIsValid) {
    auto result = load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    ASSERT_TRUE(result.config) << all_messages(result);
    EXPECT_TRUE(result.diagnostics.empty()) << all_messages(result);
    EXPECT_GE(result.config->feeds.size(), 4u);
    bool has_politics_filter = false;
    for (const auto& feed : result.config->feeds)
        has_politics_filter |= feed.categories == std::vector<std::string>{"Politics"};
    EXPECT_TRUE(has_politics_filter);
    ASSERT_EQ(result.config->topics.size(), 2u);
    EXPECT_EQ(result.config->topics[0].name, "nato");
    EXPECT_EQ(result.config->topics[1].name, "azerbaijan");
}

TEST_F(ConfigTest, TopicTermsAreCheckedWithTheirPlace) {
    auto result = load(R"([[topic]]
name = "nato"
terms = ["NATO!", "Az*rbaijan"]
[[topic]]
name = "nato"
exclude = ["weak:Turkic NATO"]
)");
    ASSERT_FALSE(result.config);
    std::string messages = all_messages(result);
    EXPECT_NE(messages.find("test.toml:3:9: error: [[topic]] #1 terms: term \"Az*rbaijan\": * may "
                            "only end a word"),
              std::string::npos)
        << messages;
    EXPECT_NE(messages.find("duplicate topic name nato"), std::string::npos) << messages;
    EXPECT_NE(messages.find("[[topic]] #2 (nato) has no terms"), std::string::npos) << messages;
    EXPECT_NE(messages.find("cannot be weak"), std::string::npos) << messages;
}

TEST_F(ConfigTest, IntervalMayBeAutoWithBoundsAndTheDaemonSection) {
    auto result = load(R"([defaults]
interval = "auto"
min_interval = "1m"
max_interval = "12h"
max_backoff = "6h"
[daemon]
state_dir = "/var/lib/newsmon"
lease = "2m"
instance = "node-a"
[[feed]]
name = "Fixed"
url = "https://fixed.example.test/rss"
interval = "10m"
[[feed]]
name = "Auto"
url = "https://auto.example.test/rss"
)");
    ASSERT_TRUE(result.config) << all_messages(result);
    const Config& c = *result.config;
    EXPECT_TRUE(c.interval_of(c.feeds[1]).automatic);
    EXPECT_FALSE(c.interval_of(c.feeds[0]).automatic);
    EXPECT_EQ(c.interval_of(c.feeds[0]).fixed, 10min);
    EXPECT_EQ(c.defaults.max_backoff, 6h);
    EXPECT_EQ(c.daemon.lease, 2min);
    EXPECT_EQ(c.daemon.instance, "node-a");
    auto bad = load("[defaults]\ninterval = \"sometimes\"\n");
    ASSERT_FALSE(bad.config);
    EXPECT_NE(all_messages(bad).find("or \"auto\""), std::string::npos) << all_messages(bad);
}

TEST_F(ConfigTest, ACredentialOverridesTheEnvironmentWhichOverridesTheFile) {
    auto directory =
        std::filesystem::temp_directory_path() / ("newsmon-cred-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "database_url") << "host=/run/credential dbname=news\n";
    setenv("NEWSMON_DATABASE_URL", "host=/run/env dbname=news", 1);
    auto from_env = load("[database]\nurl = \"host=/run/file\"\n");
    setenv("CREDENTIALS_DIRECTORY", directory.c_str(), 1);
    auto from_credential = load("[database]\nurl = \"host=/run/file\"\n");
    unsetenv("CREDENTIALS_DIRECTORY");
    unsetenv("NEWSMON_DATABASE_URL");
    std::filesystem::remove_all(directory);
    EXPECT_EQ(from_env.config->database.url, "host=/run/env dbname=news");
    EXPECT_EQ(from_credential.config->database.url, "host=/run/credential dbname=news");
}

TEST_F(ConfigTest, SmtpPasswordFromCredentialThenEnvironmentThenPasswordFile) {
    auto directory =
        std::filesystem::temp_directory_path() / ("newsmon-smtp-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory / "credentials");
    std::ofstream(directory / "credentials" / "smtp_password") << "from-credential\n";
    std::ofstream(directory / "password") << "from-file\n";
    std::string text = "[smtp]\nurl = \"smtp://mail.example.test:587\"\nusername = \"desk\"\n"
                       "password_file = \"" +
                       (directory / "password").string() + "\"\n";
    auto from_file = load(text);
    setenv("NEWSMON_SMTP_PASSWORD", "from-env", 1);
    setenv("NEWSMON_SMTP_USERNAME", "alerts", 1);
    auto from_env = load(text);
    setenv("CREDENTIALS_DIRECTORY", (directory / "credentials").c_str(), 1);
    auto from_credential = load(text);
    unsetenv("CREDENTIALS_DIRECTORY");
    unsetenv("NEWSMON_SMTP_PASSWORD");
    unsetenv("NEWSMON_SMTP_USERNAME");
    std::filesystem::remove_all(directory);
    ASSERT_TRUE(from_file.config && from_env.config && from_credential.config);
    EXPECT_EQ(from_file.config->smtp.password, "from-file");
    EXPECT_EQ(from_file.config->smtp.username, "desk");
    EXPECT_EQ(from_env.config->smtp.password, "from-env");
    EXPECT_EQ(from_env.config->smtp.username, "alerts");
    EXPECT_EQ(from_credential.config->smtp.password, "from-credential");
}

TEST_F(ConfigTest, AnSmtpPasswordFileOthersMayReadIsAWarning) {
    auto directory =
        std::filesystem::temp_directory_path() / ("newsmon-smtpf-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "password") << "secret\n";
    std::filesystem::permissions(directory / "password", std::filesystem::perms::owner_read |
                                                             std::filesystem::perms::others_read);
    std::ofstream(directory / "newsmon.toml")
        << "[smtp]\npassword_file = \"" << (directory / "password").string() << "\"\n[alerts]\n";
    auto readable = load_config(directory / "newsmon.toml");
    std::filesystem::permissions(directory / "password", std::filesystem::perms::owner_read);
    auto private_file = load_config(directory / "newsmon.toml");
    std::filesystem::remove(directory / "password");
    auto missing = load_config(directory / "newsmon.toml");
    std::filesystem::remove_all(directory);
    EXPECT_NE(all_messages(readable).find("may be read by others"), std::string::npos)
        << all_messages(readable);
    EXPECT_TRUE(private_file.diagnostics.empty()) << all_messages(private_file);
    EXPECT_NE(all_messages(missing).find("cannot be read"), std::string::npos);
}

TEST_F(ConfigTest, FullTextSettingsWithPerFeedOverrides) {
    auto result = load("[defaults]\nfull_text = \"never\"\nfull_text_min_chars = 300\n"
                       "[[feed]]\nname = \"A\"\nurl = \"https://a.example.test/rss\"\n"
                       "full_text = \"always\"\n"
                       "[[feed]]\nname = \"B\"\nurl = \"https://b.example.test/rss\"\n");
    ASSERT_TRUE(result.config) << all_messages(result);
    const Config& c = *result.config;
    EXPECT_EQ(c.full_text_of(c.feeds[0]), "always");
    EXPECT_EQ(c.full_text_of(c.feeds[1]), "never");
    EXPECT_EQ(c.full_text_min_chars_of(c.feeds[1]), 300);
    auto bad = load("[defaults]\nfull_text = \"sometimes\"\n");
    ASSERT_FALSE(bad.config);
    EXPECT_NE(all_messages(bad).find("expected \"auto\", \"always\" or \"never\""),
              std::string::npos)
        << all_messages(bad);
}

TEST_F(ConfigTest, AlertAndSmtpSettingsAreChecked) {
    auto bad = load("[smtp]\nurl = \"http://mail.example.test\"\n[alerts]\nmax_attempts = 0\n"
                    "retry_dely = \"1m\"\n");
    ASSERT_FALSE(bad.config);
    auto messages = all_messages(bad);
    EXPECT_NE(messages.find("expected an smtp:// or smtps:// URL"), std::string::npos) << messages;
    EXPECT_NE(messages.find("[alerts] max_attempts: must be 1 or more"), std::string::npos)
        << messages;
    EXPECT_NE(messages.find("did you mean 'retry_delay'?"), std::string::npos) << messages;
    auto good = load("[alerts]\nretry_delay = \"10s\"\n");
    ASSERT_TRUE(good.config);
    EXPECT_EQ(good.config->alerts.retry_delay, 10s);
    EXPECT_EQ(good.config->alerts.max_attempts, 8);
}

// MAIL FROM:<> is a bounce: mail needs a sender, newsmon@<this host> unless one is given.
TEST_F(ConfigTest, SmtpFromDefaultsToNewsmonAtThisHost) {
    char host[256] = {};
    ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
    EXPECT_EQ(load("").config->smtp.from, std::string("newsmon@") + host);
    EXPECT_EQ(load("[smtp]\nfrom = \"\"\n").config->smtp.from, std::string("newsmon@") + host);
    EXPECT_EQ(load("[smtp]\nfrom = \"alerts@example.test\"\n").config->smtp.from,
              "alerts@example.test");
}

TEST_F(ConfigTest, ServerListenIsHostPortOrOff) {
    for (const char* good : {"127.0.0.1:9464", ":0", "[::1]:65535", "localhost:80", "off"})
        EXPECT_TRUE(load(std::string("[server]\nlisten = \"") + good + "\"\n").config) << good;
    for (const char* bad : {"9464", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                            "127.0.0.1:94x", "::1:9464", "on"}) {
        auto result = load(std::string("[server]\nlisten = \"") + bad + "\"\n");
        EXPECT_FALSE(result.config) << bad;
        EXPECT_NE(all_messages(result).find("[server] listen: expected host:port"),
                  std::string::npos)
            << all_messages(result);
    }
}

TEST_F(ConfigTest, WebSettingsHaveLoopbackDefaults) {
    auto result = load("");
    ASSERT_TRUE(result.config);
    EXPECT_EQ(result.config->web.listen, "127.0.0.1:8080");
    EXPECT_TRUE(result.config->web.database_url.empty());
    EXPECT_FALSE(result.config->web.public_read);
    auto set = load("[web]\nlisten = \"[::1]:0\"\ndatabase_url = \"postgresql:///news\"\n"
                    "token_file = \"/etc/newsmon/web_token\"\npublic_read = true\n");
    ASSERT_TRUE(set.config) << all_messages(set);
    EXPECT_EQ(set.config->web.listen, "[::1]:0");
    EXPECT_EQ(set.config->web.database_url, "postgresql:///news");
    EXPECT_EQ(set.config->web.token_file, "/etc/newsmon/web_token");
    EXPECT_TRUE(set.config->web.public_read);
    EXPECT_FALSE(load("[web]\nlisten = \"off\"\n").config);
    EXPECT_FALSE(load("[web]\nlisten = \"8080\"\n").config);
}

// The API shows what analysts read: off this machine only with a token or said to be public.
TEST_F(ConfigTest, WebListensBeyondLoopbackOnlyWithATokenOrPublicRead) {
    for (const char* loopback : {"127.0.0.1:8080", "127.1.2.3:0", "localhost:8080", "[::1]:8080"})
        EXPECT_TRUE(load(std::string("[web]\nlisten = \"") + loopback + "\"\n").config) << loopback;
    for (const char* exposed : {"0.0.0.0:8080", ":8080", "[::]:8080", "192.0.2.7:8080",
                                "web.example.test:8080", "127.0.0.1.example.test:80"}) {
        auto result = load(std::string("[web]\nlisten = \"") + exposed + "\"\n");
        EXPECT_FALSE(result.config) << exposed;
        EXPECT_NE(all_messages(result).find("test.toml:2:10: error: [web] listen: \"" +
                                            std::string(exposed) +
                                            "\" is not a loopback address; set [web] token_file, "
                                            "or [web] public_read = true"),
                  std::string::npos)
            << all_messages(result);
        EXPECT_TRUE(load(std::string("[web]\nlisten = \"") + exposed +
                         "\"\ntoken_file = \"/etc/newsmon/web_token\"\n")
                        .config);
        EXPECT_TRUE(
            load(std::string("[web]\nlisten = \"") + exposed + "\"\npublic_read = true\n").config);
    }
}

// The dashboard's shared copy lives 5 s unless told; "0s" renders it for every request.
TEST_F(ConfigTest, WebDashboardCacheIsADuration) {
    EXPECT_EQ(load("").config->web.dashboard_cache, std::chrono::seconds{5});
    EXPECT_EQ(load("[web]\ndashboard_cache = \"0s\"\n").config->web.dashboard_cache,
              std::chrono::seconds{0});
    EXPECT_EQ(load("[web]\ndashboard_cache = \"1m\"\n").config->web.dashboard_cache,
              std::chrono::minutes{1});
    auto bad = load("[web]\ndashboard_cache = \"soon\"\n");
    EXPECT_FALSE(bad.config);
    EXPECT_NE(all_messages(bad).find("[web] dashboard_cache"), std::string::npos)
        << all_messages(bad);
}

// Writes go through a role set by name; the name is checked as the migrations write roles.
TEST_F(ConfigTest, WebWriteRoleIsAPlainRoleName) {
    EXPECT_EQ(load("").config->web.write_role, "newsmon_alert_writer");
    EXPECT_EQ(load("[web]\nwrite_role = \"desk_writer2\"\n").config->web.write_role,
              "desk_writer2");
    for (const char* bad : {"", "Desk", "desk writer", "desk;drop", "2desk"}) {
        auto result = load(std::string("[web]\nwrite_role = \"") + bad + "\"\n");
        EXPECT_FALSE(result.config) << bad;
        EXPECT_NE(all_messages(result).find("[web] write_role: expected a role name"),
                  std::string::npos)
            << all_messages(result);
    }
}

// The web token may come from the systemd credential web-token instead of token_file; it then
// opens a non-loopback listen as token_file does.
TEST_F(ConfigTest, TheWebTokenMayComeFromTheCredential) {
    auto directory =
        std::filesystem::temp_directory_path() / ("newsmon-web-cred-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "web-token") << "from-the-credential-0123 \n";
    auto without = load("[web]\nlisten = \"0.0.0.0:8080\"\n");
    setenv("CREDENTIALS_DIRECTORY", directory.c_str(), 1);
    auto with = load("[web]\nlisten = \"0.0.0.0:8080\"\n");
    unsetenv("CREDENTIALS_DIRECTORY");
    std::filesystem::remove_all(directory);
    EXPECT_FALSE(without.config);
    ASSERT_TRUE(with.config) << all_messages(with);
    EXPECT_EQ(with.config->web.token, "from-the-credential-0123");
    EXPECT_TRUE(load("").config->web.token.empty());
}

TEST_F(ConfigTest, AWebDatabasePasswordInAFileOthersMayReadIsAWarning) {
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-web-password-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path) << "[web]\ndatabase_url = \"postgresql://reader:secret@db/newsmon\"\n";
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    auto result = load_config(path);
    EXPECT_TRUE(result.config);
    EXPECT_NE(all_messages(result).find("warning: [web] database_url holds a password"),
              std::string::npos)
        << all_messages(result);
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::remove);
    EXPECT_EQ(all_messages(load_config(path)).find("[web] database_url"), std::string::npos);
    std::filesystem::remove(path);
}

TEST_F(ConfigTest, APasswordInAFileOthersMayReadIsAWarning) {
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-secret-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path)
        << "[database]\nurl = \"postgresql://newsmon:s3cret@db.example.test/newsmon\"\n";
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                  std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    auto readable = load_config(path);
    ASSERT_TRUE(readable.config); // a warning, not an error
    ASSERT_EQ(readable.diagnostics.size(), 1u);
    EXPECT_EQ(readable.diagnostics[0].severity, Severity::warning);
    EXPECT_NE(readable.diagnostics[0].message.find("holds a password"), std::string::npos);
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::remove);
    EXPECT_TRUE(load_config(path).diagnostics.empty());
    std::ofstream(path) << "[database]\nurl = \"host=db.example.test password=s3cret\"\n";
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    EXPECT_EQ(load_config(path).diagnostics.size(), 1u);
    std::filesystem::remove(path);
}

// The documented defaults come from the settings structs: the README's table is what
// `check-config --defaults` prints, and the example file shows every key with that default.
TEST(DocumentedDefaults, TheExampleFileShowsEveryKeyWithItsDefault) {
    auto example = toml::parse_file(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    for (const auto& key : describe_keys()) {
        if (!key.key.starts_with("[") || key.key.starts_with("[[") || key.default_text.empty())
            continue; // [[feed]] and [[topic]] are examples, not defaults
        auto close = key.key.find(']');
        std::string section = key.key.substr(1, close - 1), name = key.key.substr(close + 2);
        auto shown = example[section][name];
        if (!shown) {
            EXPECT_FALSE(key.note.empty()) << key.key << " is missing from config/newsmon.toml";
            continue;
        }
        auto expected = toml::parse("value = " + key.default_text);
        std::ostringstream shown_text, expected_text;
        shown_text << shown;
        expected_text << expected["value"];
        EXPECT_EQ(shown_text.str(), expected_text.str()) << key.key;
    }
}

TEST(DocumentedDefaults, TheReadmeTableIsTheGeneratedOne) {
    std::ifstream readme(std::string(NEWSMON_SOURCE_DIR) + "/README.md");
    std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(keys_as_markdown()), std::string::npos)
        << "README.md's key table differs from `newsmon check-config --defaults`:\n"
        << keys_as_markdown();
}

TEST(DocumentedDefaults, DefaultsAreWrittenAsTheyAreRead) {
    auto keys = describe_keys();
    auto find = [&](const std::string& name) {
        for (const auto& key : keys)
            if (key.key == name)
                return key.default_text;
        return std::string("(no such key)");
    };
    EXPECT_EQ(find("[http] max_body"), "\"16MiB\"");
    EXPECT_EQ(find("[retention] fetch_log"), "\"30d\"");
    EXPECT_EQ(find("[defaults] interval"), "\"15m\"");
    EXPECT_EQ(find("[alerts] webhook_allow"), "[]");
    // Every default reads back as itself.
    auto loaded = load_config_text("", "empty.toml");
    ASSERT_TRUE(loaded.config);
    EXPECT_EQ(loaded.config->http.max_body.bytes, 16ULL << 20);
}

// Article retention deletes: "0s" (the default) keeps everything, years are a unit, and a
// value under a day (a slip of m for months) is refused before it can empty the archive.
TEST_F(ConfigTest, ArticleRetentionKeepsEverythingUnlessSetToADayOrMore) {
    auto defaults = load("");
    ASSERT_TRUE(defaults.config) << all_messages(defaults);
    EXPECT_EQ(defaults.config->retention.articles.count(), 0);
    auto two_years = load("[retention]\narticles = \"2y\"\n");
    ASSERT_TRUE(two_years.config) << all_messages(two_years);
    EXPECT_EQ(two_years.config->retention.articles, std::chrono::hours{24 * 730});
    auto minutes = load("[retention]\narticles = \"24m\"\n");
    EXPECT_FALSE(minutes.config);
    EXPECT_NE(all_messages(minutes).find("test.toml:2:12: error: [retention] articles: must be"),
              std::string::npos)
        << all_messages(minutes);
    EXPECT_NE(all_messages(minutes).find("m is minutes"), std::string::npos);
}

// Delivered alerts stay with their articles unless set to a day or more.
TEST_F(ConfigTest, DeliveredAlertRetentionKeepsThemUnlessSetToADayOrMore) {
    auto defaults = load("");
    ASSERT_TRUE(defaults.config) << all_messages(defaults);
    EXPECT_EQ(defaults.config->retention.alert_deliveries.count(), 0);
    auto quarter = load("[retention]\nalert_deliveries = \"90d\"\n");
    ASSERT_TRUE(quarter.config) << all_messages(quarter);
    EXPECT_EQ(quarter.config->retention.alert_deliveries, std::chrono::hours{24 * 90});
    auto minutes = load("[retention]\nalert_deliveries = \"3m\"\n");
    EXPECT_FALSE(minutes.config);
    EXPECT_NE(
        all_messages(minutes).find("test.toml:2:20: error: [retention] alert_deliveries: must be"),
        std::string::npos)
        << all_messages(minutes);
}

// "0s" turns clustering off; a window below zero means nothing and is refused.
TEST_F(ConfigTest, AStoryWindowOfZeroTurnsClusteringOffAndANegativeOneIsRefused) {
    auto off = load("[stories]\nwindow = \"0s\"\n");
    ASSERT_TRUE(off.config) << all_messages(off);
    EXPECT_EQ(off.config->stories.window.count(), 0);
    auto negative = load("[stories]\nwindow = \"-1h\"\n");
    EXPECT_FALSE(negative.config);
    EXPECT_NE(all_messages(negative).find("window"), std::string::npos) << all_messages(negative);
}

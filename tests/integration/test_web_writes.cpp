// `newsmon web`'s writes served on 127.0.0.1: adding an alert rule and switching it on and off
// with the bearer token, every way a write is refused (no token, a wrong one, public reads, bad
// input naming its field, a rule that exists), the rule as `newsmon alert` then sees it, and the
// roles: the analyst connection cannot write, the writer role cannot read secrets.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "newsroom.hpp"
#include "store/alert_rules.hpp"
#include "store/migrations.hpp"
#include "store/web_connection.hpp"
#include "test_database.hpp"
#include "web/api_server.hpp"

using namespace newsmon;
using nlohmann::json;

namespace {

constexpr const char* k_token = "0123456789abcdef0123";

const json k_rule = {
    {"name", "nato-baku"},
    {"query", "NATO AND Baku"},
    {"channels",
     {{"webhook", {"https://chat.example.test/hooks/abc"}}, {"email", {"desk@example.test"}}}},
    {"digest", "1h"},
    {"secret", "hook-s3cret"}};

class WebWrites : public ::testing::Test {
protected:
    void SetUp() override {
        store::Store store(m_database.url());
        testkit::populate_newsroom(store, m_database.url());
        m_database.execute("INSERT INTO alert_rules (name, query, channels) VALUES "
                           "('desk', 'NATO', '{\"notify\": true}')");
        m_config = testkit::newsroom_config(m_database.url());
        m_config.web.listen = "127.0.0.1:0";
        std::ofstream(m_token_file) << k_token << "\n";
        m_config.web.token_file = m_token_file.string();
        start(m_config);
    }

    void TearDown() override { std::filesystem::remove(m_token_file); }

    void start(const config::Config& config) {
        auto server = web::ApiServer::start(config);
        ASSERT_TRUE(server) << server.error();
        m_server = std::move(*server);
        m_client = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
    }

    // POSTs `body` as JSON to `path` with `headers` (the token unless told otherwise),
    // expecting `status`; the answer as JSON.
    json post(const std::string& path, const std::string& body, int status,
              httplib::Headers headers = {{"Authorization", std::string("Bearer ") + k_token}},
              const std::string& type = "application/json") {
        auto reply = m_client->Post(path, headers, body, type);
        EXPECT_TRUE(reply) << path;
        if (!reply)
            return nullptr;
        EXPECT_EQ(reply->status, status) << path << " " << body << ": " << reply->body;
        EXPECT_EQ(reply->get_header_value("Content-Type"), "application/json; charset=utf-8");
        return json::parse(reply->body, nullptr, false);
    }

    json post_json(const std::string& path, const json& body, int status) {
        return post(path, body.dump(), status);
    }

    long long rules_named(const std::string& name) const {
        return m_database.scalar("SELECT count(*) FROM alert_rules WHERE name = '" + name + "'");
    }

    testkit::TestDatabase m_database;
    config::Config m_config;
    std::filesystem::path m_token_file =
        std::filesystem::temp_directory_path() / ("newsmon-web-writes-" + std::to_string(getpid()));
    std::unique_ptr<web::ApiServer> m_server;
    std::unique_ptr<httplib::Client> m_client;
};

// A page on another site can make a browser POST a form or text/plain unasked, never JSON:
// every write must be JSON, even with no body, and a browser's cross-site mark is refused.
// Behind a proxy that adds the token for its users, no other site can switch alerts off.
TEST_F(WebWrites, AWriteFromAnotherSitesPageIsRefused) {
    httplib::Headers token{{"Authorization", std::string("Bearer ") + k_token}};
    for (const char* type :
         {"text/plain", "application/x-www-form-urlencoded", "application/jsonx"})
        EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 415, token, type)["parameter"],
                  "Content-Type")
            << type;
    // A multipart form the server cannot even read is refused before it reaches the rule.
    EXPECT_EQ(
        m_client->Post("/api/v1/alerts/desk/disable", token, "", "multipart/form-data; x")->status,
        400);
    auto cross_site = token;
    cross_site.emplace("Sec-Fetch-Site", "cross-site");
    EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 403, cross_site)["parameter"],
              "Sec-Fetch-Site");
    EXPECT_EQ(m_database.scalar("SELECT count(*) FROM alert_rules WHERE enabled"), 1);
    auto same_origin = token;
    same_origin.emplace("Sec-Fetch-Site", "same-origin");
    EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 200, same_origin, "Application/JSON")["name"],
              "desk");
    EXPECT_EQ(m_database.scalar("SELECT count(*) FROM alert_rules WHERE enabled"), 0);
}

TEST_F(WebWrites, AddsARuleAsGetListsItWithoutItsSecret) {
    auto added = post_json("/api/v1/alerts", k_rule, 201);
    EXPECT_EQ(added["name"], "nato-baku");
    EXPECT_EQ(added["query"], "NATO AND Baku");
    EXPECT_EQ(added["enabled"], true);
    EXPECT_EQ(added["channels"], json({"email", "webhook"}));
    EXPECT_EQ(added["signed"], true);
    EXPECT_EQ(added["per"], "article");
    EXPECT_EQ(added["digest"], "01:00:00");
    EXPECT_EQ(added.dump().find("hook-s3cret"), std::string::npos);
    // What GET lists is what the write answered.
    auto listed = json::parse(
        m_client->Get("/api/v1/alerts", {{"Authorization", std::string("Bearer ") + k_token}})
            ->body)["items"];
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[1], added);
    // In the table, with its secret, as `newsmon alert list` reads it.
    EXPECT_EQ(m_database.text("SELECT secret FROM alert_rules WHERE name = 'nato-baku'"),
              "hook-s3cret");
    pqxx::connection connection{m_database.url()};
    auto rules = store::list_alert_rules(connection);
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[1].name, "nato-baku");
    EXPECT_TRUE(rules[1].enabled);
    EXPECT_EQ(json::parse(rules[1].channels),
              json::parse(R"({"webhook": ["https://chat.example.test/hooks/abc"],
                              "email": ["desk@example.test"]})"));
    EXPECT_EQ(rules[1].digest, "01:00:00");
}

TEST_F(WebWrites, PerStoryWithUpdates) {
    auto added = post_json("/api/v1/alerts",
                           json{{"name", "stories"},
                                {"query", "topic:nato"},
                                {"channels", {{"notify", true}}},
                                {"per", "story"},
                                {"updates", 5}},
                           201);
    EXPECT_EQ(added["per"], "story");
    EXPECT_EQ(added["signed"], false);
    EXPECT_EQ(m_database.scalar("SELECT update_every FROM alert_rules WHERE name = 'stories'"), 5);
}

TEST_F(WebWrites, DisablesAndEnablesARule) {
    auto disabled = post("/api/v1/alerts/desk/disable", "", 200);
    EXPECT_EQ(disabled["name"], "desk");
    EXPECT_EQ(disabled["enabled"], false);
    EXPECT_EQ(m_database.text("SELECT enabled FROM alert_rules WHERE name = 'desk'"), "f");
    auto enabled = post("/api/v1/alerts/desk/enable", "", 200);
    EXPECT_EQ(enabled["enabled"], true);
    EXPECT_EQ(m_database.text("SELECT enabled FROM alert_rules WHERE name = 'desk'"), "t");
    auto unknown = post("/api/v1/alerts/nobody/enable", "", 404);
    EXPECT_EQ(unknown["parameter"], "name");
    EXPECT_EQ(post("/api/v1/alerts/desk/enable", "{}", 400)["parameter"], "body");
    EXPECT_EQ(post("/api/v1/alerts/desk/enable?force=1", "", 400)["parameter"], "force");
}

TEST_F(WebWrites, WithoutTheRightTokenNothingIsWritten) {
    auto missing = m_client->Post("/api/v1/alerts", k_rule.dump(), "application/json");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(missing->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(post("/api/v1/alerts", k_rule.dump(), 401,
                   {{"Authorization", "Bearer wrong"}})["parameter"],
              "Authorization");
    EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 401,
                   {{"Authorization", std::string("Bearer ") + k_token + "x"}})["parameter"],
              "Authorization");
    EXPECT_EQ(rules_named("nato-baku"), 0);
    EXPECT_EQ(m_database.text("SELECT enabled FROM alert_rules WHERE name = 'desk'"), "t");
}

TEST_F(WebWrites, PublicReadsNeverOpenWrites) {
    config::Config open = m_config;
    open.web.public_read = true;
    start(open);
    EXPECT_EQ(m_client->Get("/api/v1/alerts")->status, 200);
    auto refused = m_client->Post("/api/v1/alerts", k_rule.dump(), "application/json");
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(post_json("/api/v1/alerts", k_rule, 201)["name"], "nato-baku"); // with the token
    // No token at all: reads are open, writes are off and the answer says how to turn them on.
    open.web.token_file.clear();
    start(open);
    EXPECT_EQ(m_client->Get("/api/v1/alerts")->status, 200);
    auto off = post("/api/v1/alerts/desk/disable", "", 403, {});
    EXPECT_NE(off["error"].get<std::string>().find("[web] token_file or the credential web-token"),
              std::string::npos)
        << off;
    EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 403,
                   {{"Authorization", std::string("Bearer ") + k_token}})["error"],
              off["error"]);
    EXPECT_EQ(m_database.text("SELECT enabled FROM alert_rules WHERE name = 'desk'"), "t");
}

TEST_F(WebWrites, ATokenFromTheCredentialOpensWrites) {
    config::Config credential = m_config;
    credential.web.token_file.clear();
    credential.web.token = "from-the-credential-0123";
    start(credential);
    EXPECT_EQ(post("/api/v1/alerts", k_rule.dump(), 401)["parameter"], "Authorization");
    EXPECT_EQ(m_client
                  ->Post("/api/v1/alerts/desk/disable",
                         {{"Authorization", "Bearer from-the-credential-0123"}}, "",
                         "application/json")
                  ->status,
              200);
}

TEST_F(WebWrites, BadInputIsRefusedNamingItsField) {
    auto with = [](std::initializer_list<std::pair<const std::string, json>> changes) {
        json rule = k_rule;
        for (const auto& [key, value] : changes) {
            if (value.is_null())
                rule.erase(key);
            else
                rule[key] = value;
        }
        return rule;
    };
    EXPECT_EQ(post("/api/v1/alerts", "{\"name\": ", 400)["parameter"], "body");
    EXPECT_EQ(post("/api/v1/alerts", "[1, 2]", 400)["parameter"], "body");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"name", nullptr}}), 400)["parameter"], "name");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"query", nullptr}}), 400)["parameter"], "query");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"channels", nullptr}}), 400)["parameter"],
              "channels");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"name", 7}}), 400)["parameter"], "name");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"name", "a/b"}}), 400)["parameter"], "name");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"name", ""}}), 400)["parameter"], "name");
    auto query = post_json("/api/v1/alerts", with({{"query", "NATO AND"}}), 400);
    EXPECT_EQ(query["parameter"], "query");
    EXPECT_EQ(query["error"], "query:1:6: expected a term after AND");
    auto channel = post_json("/api/v1/alerts", with({{"channels", {{"sms", {"+100"}}}}}), 400);
    EXPECT_EQ(channel["parameter"], "channels");
    EXPECT_EQ(channel["error"], "unknown channel \"sms\" (webhook, email, notify)");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"channels", {{"webhook", {"ftp://x.test/"}}}}}),
                        400)["error"],
              "webhook \"ftp://x.test/\" is not an http:// or https:// URL");
    // Its user, password and path stay out of the message, which a bad rule's last_error
    // (read by the API and the dashboard) also carries.
    EXPECT_EQ(post_json("/api/v1/alerts",
                        with({{"channels", {{"webhook", {"ftp://bob:hunter2@x.test/T0/SECRET"}}}}}),
                        400)["error"],
              "webhook \"ftp://\u2026@x.test/\u2026\" is not an http:// or https:// URL");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"channels", {{"email", "no-at-sign"}}}}),
                        400)["parameter"],
              "channels");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"channels", json::object()}}), 400)["parameter"],
              "channels");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"channels", "notify"}}), 400)["parameter"],
              "channels");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"digest", "soon"}}), 400)["parameter"], "digest");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"digest", "99999999999d"}}), 400)["parameter"],
              "digest");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"per", "week"}}), 400)["parameter"], "per");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"updates", 3}}), 400)["parameter"], "updates");
    EXPECT_EQ(
        post_json("/api/v1/alerts", with({{"per", "story"}, {"updates", 0}}), 400)["parameter"],
        "updates");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"secret", ""}}), 400)["parameter"], "secret");
    EXPECT_EQ(post_json("/api/v1/alerts", with({{"secret", "two\nlines"}}), 400)["parameter"],
              "secret");
    auto unknown = post_json("/api/v1/alerts", with({{"colour", "red"}}), 400);
    EXPECT_EQ(unknown["parameter"], "colour");
    EXPECT_EQ(unknown["error"], "unknown field");
    EXPECT_EQ(post("/api/v1/alerts",
                   R"({"name": "n", "query": "NATO", "channels": {"webhook": [[["x"]]]}})",
                   400)["parameter"],
              "body");
    EXPECT_EQ(post_json("/api/v1/alerts?dry_run=1", k_rule, 400)["parameter"], "dry_run");
    EXPECT_EQ(post("/api/v1/alerts", "name=x", 415,
                   {{"Authorization", std::string("Bearer ") + k_token}},
                   "application/x-www-form-urlencoded")["parameter"],
              "Content-Type");
    auto large = with({{"query", "NATO OR " + std::string(9000, 'a')}});
    auto too_large =
        m_client->Post("/api/v1/alerts", {{"Authorization", std::string("Bearer ") + k_token}},
                       large.dump(), "application/json");
    ASSERT_TRUE(too_large);
    EXPECT_EQ(too_large->status, 413);
    EXPECT_EQ(rules_named("nato-baku"), 0);
}

TEST_F(WebWrites, ARuleThatExistsIsAConflict) {
    post_json("/api/v1/alerts", k_rule, 201);
    json again = k_rule;
    again["query"] = "Something else";
    auto conflict = post_json("/api/v1/alerts", again, 409);
    EXPECT_EQ(conflict["parameter"], "name");
    EXPECT_EQ(conflict["error"], "a rule named \"nato-baku\" exists already");
    EXPECT_EQ(m_database.text("SELECT query FROM alert_rules WHERE name = 'nato-baku'"),
              "NATO AND Baku");
}

TEST_F(WebWrites, OtherMethodsAndPathsStillOnlyRead) {
    EXPECT_EQ(post("/api/v1/articles", "{}", 405)["error"], "this path only reads: use GET");
    EXPECT_EQ(post("/api/v1/alerts/desk/deliveries", "", 405)["error"],
              "this path only reads: use GET");
    EXPECT_EQ(m_client
                  ->Put("/api/v1/alerts", {{"Authorization", std::string("Bearer ") + k_token}},
                        k_rule.dump(), "application/json")
                  ->status,
              405);
    EXPECT_EQ(m_client
                  ->Get("/api/v1/alerts/desk/enable",
                        {{"Authorization", std::string("Bearer ") + k_token}})
                  ->status,
              404);
}

// Writes go through [web] write_role: a role that may not write alert_rules (the analysts' own)
// or none at all refuses them at the database, and nothing is written.
TEST_F(WebWrites, WritesGoThroughTheWriteRoleOnly) {
    config::Config analyst = m_config;
    analyst.web.write_role = "newsmon_analyst";
    start(analyst);
    auto refused = post_json("/api/v1/alerts", k_rule, 403);
    EXPECT_NE(refused["error"].get<std::string>().find("[web] write_role may not write"),
              std::string::npos)
        << refused;
    EXPECT_EQ(post("/api/v1/alerts/desk/disable", "", 403)["error"], refused["error"]);
    EXPECT_EQ(rules_named("nato-baku"), 0);
    EXPECT_EQ(m_database.text("SELECT enabled FROM alert_rules WHERE name = 'desk'"), "t");

    config::Config missing = m_config;
    missing.web.write_role = "newsmon_no_such_role";
    start(missing);
    auto no_role = post_json("/api/v1/alerts", k_rule, 403);
    EXPECT_NE(no_role["error"].get<std::string>().find("newsmon_no_such_role"), std::string::npos)
        << no_role;
    EXPECT_EQ(rules_named("nato-baku"), 0);
    // Reads go on.
    EXPECT_EQ(m_client->Get("/api/v1/feeds", {{"Authorization", std::string("Bearer ") + k_token}})
                  ->status,
              200);
}

// Every write the OpenAPI description documents answers its documented success to its
// example, and each needs the token.
TEST_F(WebWrites, TheOpenApiDescriptionOfWritesMatchesWhatTheServerAnswers) {
    auto document = json::parse(
        m_client->Get("/api/v1/openapi.json", {{"Authorization", std::string("Bearer ") + k_token}})
            ->body);
    std::size_t writes = 0;
    for (const auto& [templated, item] : document["paths"].items()) {
        if (!item.contains("post"))
            continue;
        ++writes;
        const auto& operation = item["post"];
        EXPECT_EQ(operation["security"], json::parse(R"([{"bearer": []}])")) << templated;
        std::string path = "/api/v1" + templated;
        auto at = path.find("{name}");
        if (at != std::string::npos)
            path.replace(at, 6, "desk");
        std::string body;
        if (operation.contains("requestBody"))
            body = operation["requestBody"]["content"]["application/json"]["example"].dump();
        std::string success;
        for (const auto& [status, response] : operation["responses"].items())
            if (status.starts_with("2"))
                success = status;
        ASSERT_FALSE(success.empty()) << templated;
        EXPECT_EQ(post(path, body, 401, {})["parameter"], "Authorization") << templated;
        post(path, body, std::stoi(success));
    }
    EXPECT_EQ(writes, 3u);
    EXPECT_EQ(rules_named("nato-baku"), 1); // the example rule
}

// The roles themselves, at the database: the web's read connection cannot write a rule, the
// writer role can but cannot read a secret back.
TEST_F(WebWrites, TheAnalystConnectionCannotWriteAndTheWriterCannotReadSecrets) {
    store::NewAlertRule rule;
    rule.name = "by-sql";
    rule.query = "NATO";
    rule.channels = R"({"notify": true})";
    rule.secret = "k3y";
    auto reader = store::open_web_connection(m_database.url());
    ASSERT_TRUE(reader.as_analyst);
    EXPECT_THROW((void)store::add_alert_rule(*reader.connection, rule), pqxx::sql_error);
    // Not only because it is read-only: the analyst role itself may not.
    pqxx::connection analyst{m_database.url()};
    pqxx::nontransaction(analyst).exec("SET ROLE newsmon_analyst");
    EXPECT_THROW((void)store::add_alert_rule(analyst, rule), pqxx::insufficient_privilege);
    EXPECT_THROW((void)store::enable_alert_rule(analyst, "desk", false),
                 pqxx::insufficient_privilege);

    auto writer = store::open_web_writer_connection(m_database.url(), "newsmon_alert_writer");
    ASSERT_TRUE(writer) << writer.error();
    EXPECT_TRUE(store::add_alert_rule(**writer, rule).has_value());
    EXPECT_TRUE(store::enable_alert_rule(**writer, "by-sql", false));
    EXPECT_THROW(pqxx::nontransaction(**writer).exec("SELECT secret FROM alert_rules"),
                 pqxx::insufficient_privilege);
    EXPECT_THROW(pqxx::nontransaction(**writer).exec("UPDATE alert_rules SET secret = 'x'"),
                 pqxx::insufficient_privilege);
    EXPECT_THROW(pqxx::nontransaction(**writer).exec("DELETE FROM alert_rules"),
                 pqxx::insufficient_privilege);
    EXPECT_THROW(
        pqxx::nontransaction(**writer).exec("UPDATE alert_rules SET last_error = 'forged'"),
        pqxx::insufficient_privilege);
    EXPECT_EQ(m_database.text("SELECT secret FROM alert_rules WHERE name = 'by-sql'"), "k3y");
}

// Migration 0002's old advice, followed by hand, handed analysts alert_rules with its secrets;
// the writer role's migration takes that back.
TEST(WriterRoleMigration, TakesBackAnalystsReadingSecrets) {
    testkit::TestDatabase database;
    pqxx::connection connection{database.url()};
    store::migrate(connection);
    database.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO newsmon_analyst");
    ASSERT_EQ(database.text("SELECT has_table_privilege('newsmon_analyst', 'alert_rules', "
                            "'SELECT')"),
              "t");
    const auto& migrations = store::embedded_migrations();
    auto writer = std::find_if(migrations.begin(), migrations.end(), [](const auto& migration) {
        return migration.name == "alert_writer_role";
    });
    ASSERT_NE(writer, migrations.end());
    database.execute(std::string(writer->sql));
    EXPECT_EQ(database.text("SELECT has_table_privilege('newsmon_analyst', 'alert_rules', "
                            "'SELECT')"),
              "f");
    EXPECT_EQ(database.text("SELECT has_column_privilege('newsmon_alert_writer', 'alert_rules', "
                            "'secret', 'SELECT')"),
              "f");
    EXPECT_EQ(database.text("SELECT has_column_privilege('newsmon_alert_writer', 'alert_rules', "
                            "'secret', 'INSERT')"),
              "t");
    EXPECT_EQ(database.text("SELECT pg_has_role('newsmon_alert_writer', 'newsmon_analyst', "
                            "'MEMBER')"),
              "t");
}

} // namespace

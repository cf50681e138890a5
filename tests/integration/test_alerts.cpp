#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/rule_store.hpp"
#include "alerts/sender.hpp"
#include "alerts/webhook_policy.hpp"
#include "cli/commands.hpp"
#include "daemon_thread.hpp"
#include "http_test_server.hpp"
#include "newsroom.hpp"
#include "smtp_sink.hpp"
#include "store/alert_retention.hpp"
#include "store/migrations.hpp"
#include "story_texts.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono_literals;
using testkit::eventually;
using testkit::HttpTestServer;
using testkit::mime_part;
using testkit::Response;
using testkit::TestDatabase;

extern char** environ; // for posix_spawn

namespace {

store::PolledArticle article(const std::string& guid, const std::string& title,
                             const std::string& body, std::vector<std::string> topics = {},
                             const std::string& language = "en") {
    store::PolledArticle polled;
    polled.item = testkit::make_item(guid, title, "https://news.example.test/" + guid,
                                     testkit::start_of_today() + 1h, body);
    for (const auto& name : topics)
        polled.topics.push_back(testkit::topic(name));
    polled.language = language;
    return polled;
}

std::string hmac_hex(const std::string& key, const std::string& body) {
    unsigned char digest[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    std::string hex;
    for (unsigned int i = 0; i < length; ++i)
        hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

// A webhook receiver on the test HTTP server: answers with the statuses it is given, in turn
// (the last one from then on), and keeps every body and delivery id it was sent.
class Receiver {
public:
    Receiver(HttpTestServer& server, std::string path, std::vector<int> statuses = {200})
        : m_endpoint(server.serve(
              path,
              [this](const httplib::Request& request) {
                  std::lock_guard lock(m_mutex);
                  m_bodies.push_back(request.body);
                  m_deliveries.push_back(request.get_header_value("X-Newsmon-Delivery"));
                  m_signatures.push_back(request.get_header_value("X-Newsmon-Signature"));
                  int status = m_statuses[std::min(m_bodies.size() - 1, m_statuses.size() - 1)];
                  return Response{status, "", "text/plain", {}};
              })),
          m_statuses(std::move(statuses)) {}

    std::size_t count() const {
        std::lock_guard lock(m_mutex);
        return m_bodies.size();
    }
    nlohmann::json body(std::size_t index) const {
        std::lock_guard lock(m_mutex);
        return nlohmann::json::parse(m_bodies.at(index));
    }
    std::string raw_body(std::size_t index) const {
        std::lock_guard lock(m_mutex);
        return m_bodies.at(index);
    }
    std::string delivery(std::size_t index) const {
        std::lock_guard lock(m_mutex);
        return m_deliveries.at(index);
    }
    std::string signature(std::size_t index) const {
        std::lock_guard lock(m_mutex);
        return m_signatures.at(index);
    }

private:
    HttpTestServer::Endpoint m_endpoint;
    std::vector<int> m_statuses;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_bodies, m_deliveries, m_signatures;
};

class AlertsTest : public ::testing::Test {
protected:
    AlertsTest() {
        store::migrate(store.connection());
        auto config = testkit::newsroom_config(db.url());
        store.sync_feeds(config);
        store.sync_topics(config);
        for (const auto& feed : store.enabled_feeds())
            (feed.name == "Wire" ? wire : feed.name == "Agency" ? agency : other) = feed.id;
        store.use_alert_rules(&rules);
        settings.database.url = db.url();
        settings.alerts.retry_delay = 50ms;
        settings.alerts.max_retry_delay = 200ms;
        settings.alerts.timeout = 3s;
        settings.alerts.max_attempts = 3;
        settings.alerts.webhook_allow = {"127.0.0.1"}; // the test receivers listen there
    }

    void add_rule(const std::string& name, const std::string& query,
                  const std::string& channels = R"({"notify": true})",
                  const std::string& extra_columns = "", const std::string& extra_values = "") {
        pqxx::connection connection{db.url()};
        pqxx::work tx{connection};
        tx.exec0("INSERT INTO alert_rules (name, query, channels" + extra_columns + ") VALUES (" +
                 tx.quote(name) + ", " + tx.quote(query) + ", " + tx.quote(channels) + "::jsonb" +
                 extra_values + ")");
        tx.commit();
    }
    alerts::LoadedRules reload() {
        auto loaded = alerts::load_rules(store.connection());
        rules.replace(loaded.rules);
        return loaded;
    }
    store::PollOutcome poll(std::int64_t feed, std::vector<store::PolledArticle> articles) {
        store::FeedPoll feed_poll;
        feed_poll.feed_id = feed;
        feed_poll.started_at = std::chrono::system_clock::now();
        feed_poll.http_status = 200;
        feed_poll.articles = std::move(articles);
        feed_poll.next_poll_in = 15min;
        return store.record_poll(feed_poll);
    }
    // The guids of the articles a rule has deliveries for, sorted.
    std::set<std::string> matched(const std::string& rule) {
        pqxx::connection connection{db.url()};
        pqxx::work tx{connection};
        std::set<std::string> guids;
        for (const auto& row : tx.exec("SELECT a.guid FROM alert_deliveries d "
                                       "JOIN alert_rules r ON r.id = d.rule_id "
                                       "JOIN articles a ON a.id = d.article_id WHERE r.name = " +
                                       tx.quote(rule)))
            guids.insert(row[0].as<std::string>());
        return guids;
    }
    std::string rule_status(const std::string& rule) {
        return db.text("SELECT string_agg(status, ',' ORDER BY delivery_id) FROM alert_log "
                       "WHERE rule = '" +
                       rule + "'");
    }

    TestDatabase db;
    store::Store store{db.url()};
    rules::LiveRules rules;
    config::Config settings;
    std::int64_t wire = 0, agency = 0, other = 0;
};

// [retention] alert_deliveries: a delivered alert past it goes, unless its story is still
// reported; a pending one stays. Its article, updated later by its feed, does not alert again:
// it is older than the horizon the writers match under.
TEST_F(AlertsTest, DeliveredAlertsPastTheirRetentionGoAndTheirArticlesDoNotAlertAgain) {
    add_rule("nato", "NATO");
    ASSERT_EQ(reload().invalid, 0);
    store.use_alert_rules(&rules, 24h * 90);
    poll(wire,
         {article("old-sent", "Frigates dock in Split", "NATO frigates docked in Split."),
          article("old-failed", "Jets over Lithuania", "NATO jets patrolled Lithuania."),
          article("old-live", "Vilnius summit dates", "NATO leaders meet in Vilnius in July."),
          article("old-pending", "Envoy in Baku", "A NATO envoy discussed gas in Baku."),
          article("new-sent", "Tallinn cyber drill", "NATO ran a cyber drill in Tallinn.")});
    ASSERT_EQ(matched("nato").size(), 5u);
    ASSERT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM articles"), 5); // five events
    auto aged = [&](const std::string& guid, const std::string& status) {
        std::string article = "(SELECT id FROM articles WHERE guid = '" + guid + "')";
        db.execute("UPDATE alert_deliveries SET status = '" + status +
                   "', created_at = now() - interval '100 days' WHERE article_id = " + article);
        db.execute("UPDATE articles SET first_seen_at = now() - interval '100 days', "
                   "published_at = now() - interval '100 days' WHERE id = " +
                   article);
        db.execute("UPDATE stories SET last_seen_at = now() - interval '100 days' WHERE id = "
                   "(SELECT story_id FROM articles WHERE guid = '" +
                   guid + "')");
    };
    aged("old-sent", "sent");
    aged("old-failed", "failed");
    aged("old-live", "sent");
    aged("old-pending", "pending");
    db.execute("UPDATE alert_deliveries SET status = 'sent' WHERE article_id = "
               "(SELECT id FROM articles WHERE guid = 'new-sent')");
    // A later report keeps old-live's story within the retention.
    db.execute("UPDATE stories SET last_seen_at = now() - interval '2 days' WHERE id = "
               "(SELECT story_id FROM articles WHERE guid = 'old-live')");

    // One delivery per transaction: the loop goes on until none is left.
    EXPECT_EQ(store::purge_delivered_alerts(store.connection(), 24h * 90, 5s, 1), 2);
    EXPECT_EQ(matched("nato"), std::set<std::string>({"old-live", "old-pending", "new-sent"}));
    EXPECT_EQ(store::purge_delivered_alerts(store.connection(), 24h * 90, 5s, 1), 0);
    EXPECT_EQ(store::purge_delivered_alerts(store.connection(), 0h, 5s), 0); // "0s" keeps all

    // The feed rewrites both purged articles and adds a fresh one: only the fresh one alerts.
    poll(wire,
         {article("old-sent", "Frigates dock in Split", "NATO frigates docked in Split, twice."),
          article("old-failed", "Jets over Lithuania", "NATO jets patrolled Lithuania again."),
          article("fresh", "Talks", "NATO and Azerbaijan held talks.")});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid LIKE 'old-%' "
                        "AND first_seen_at < now() - interval '99 days'"),
              4);
    EXPECT_EQ(matched("nato"),
              std::set<std::string>({"old-live", "old-pending", "new-sent", "fresh"}));
}

TEST_F(AlertsTest, RulesMatchExactlyTheArticlesTheyShould) {
    add_rule("phrase", R"("Partnership for Peace")");
    add_rule("near", "NATO NEAR/3 Baku");
    add_rule("not", "Azerbaijan* NOT Armenia");
    add_rule("title", "title:summit");
    add_rule("topic", "topic:nato AND Brussels");
    add_rule("feed", R"(feed:"Agency" NATO)");
    add_rule("lang", "lang:ru НАТО");
    add_rule("inflected", "NATO Bakı");
    ASSERT_EQ(reload().invalid, 0);
    poll(wire,
         {article("a1", "Talks", "Azerbaijan joined the Partnership for Peace in 1994."),
          article("a2", "NATO envoys", "NATO officials arrived in Baku on Monday."),
          article("a3", "Far apart", "NATO said on Monday that in the end it would go to Baku."),
          article("a4", "Peace talks", "Azerbaijani and Armenian envoys met; Armenia agreed."),
          article("a5", "The summit", "Leaders gathered.", {"nato"}),
          article("a6", "Brussels meeting", "Ministers met in Brussels.", {"nato"}),
          article("a7", "Встреча", "Представители НАТО прибыли.", {}, "ru"),
          article("a8", "Ziyarət", "NATO'nun nümayəndələri Bakı'da görüşdü.", {}, "az")});
    poll(agency, {article("b1", "Agency report", "NATO ministers met.")});
    EXPECT_EQ(matched("phrase"), std::set<std::string>({"a1"}));
    EXPECT_EQ(matched("near"), std::set<std::string>({"a2"}));
    EXPECT_EQ(matched("not"), std::set<std::string>({"a1"}));
    EXPECT_EQ(matched("title"), std::set<std::string>({"a5"}));
    EXPECT_EQ(matched("topic"), std::set<std::string>({"a6"}));
    EXPECT_EQ(matched("feed"), std::set<std::string>({"b1"}));
    EXPECT_EQ(matched("lang"), std::set<std::string>({"a7"}));
    EXPECT_EQ(matched("inflected"), std::set<std::string>({"a8"}));
    EXPECT_EQ(db.text("SELECT array_to_string(matched_terms, '|') FROM alert_log WHERE rule = "
                      "'near'"),
              "NATO|Baku");
}

TEST_F(AlertsTest, AnArticleAlertsARuleOnceEvenWhenChangedOrRepublished) {
    add_rule("nato", "NATO");
    reload();
    poll(wire, {article("w1", "NATO envoys meet in Baku", "First version.")});
    poll(wire, {article("w1", "NATO envoys meet in Baku", "Second version, changed.")});
    // The same story from another feed is a duplicate of the first: no second alert.
    poll(agency, {article("g1", "NATO envoys meet in Baku", "Agency copy.")});
    EXPECT_EQ(matched("nato"), std::set<std::string>({"w1"}));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"), 1);
    // A changed article that only now matches does alert.
    poll(wire, {article("w2", "Weather", "Sunny.")});
    poll(wire, {article("w2", "Weather", "Sunny; NATO jets flew over.")});
    EXPECT_EQ(matched("nato"), std::set<std::string>({"w1", "w2"}));
}

TEST_F(AlertsTest, AnInvalidRuleGetsLastErrorAndTheOthersKeepWorking) {
    add_rule("broken", "NATO AND");
    add_rule("no-channel", "NATO", "{}");
    add_rule("good", "NATO");
    auto loaded = reload();
    EXPECT_EQ(loaded.invalid, 2);
    EXPECT_EQ(db.text("SELECT last_error FROM alert_rules WHERE name = 'broken'"),
              "query:1:6: expected a term after AND");
    EXPECT_EQ(db.text("SELECT last_error FROM alert_rules WHERE name = 'no-channel'"),
              "no channel: give a webhook, an email or notify");
    poll(wire, {article("w1", "NATO", "text")});
    EXPECT_EQ(matched("good").size(), 1U);
    EXPECT_TRUE(matched("broken").empty());
    db.execute("UPDATE alert_rules SET query = 'NATO AND Baku' WHERE name = 'broken'");
    reload();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_rules WHERE last_error IS NOT NULL"), 1);
}

// A rule names where the daemon sends data and the key it signs with: analysts read rules
// without the secret, and write them only through `newsmon alert` (the daemon's role).
TEST_F(AlertsTest, TheAnalystRoleReadsRulesWithoutSecretsAndWritesNone) {
    add_rule("signed", "NATO", R"({"webhook": "https://hooks.example.test/x"})", ", secret",
             ", 's3cret'");
    pqxx::connection connection{db.url()};
    auto as_analyst = [&](const std::string& sql) {
        pqxx::work tx{connection};
        tx.exec0("SET LOCAL ROLE newsmon_analyst");
        auto result = tx.exec(sql);
        tx.commit();
        return result;
    };
    auto rule = as_analyst("SELECT * FROM alert_rules_public");
    ASSERT_EQ(rule.size(), 1U);
    EXPECT_EQ(rule[0]["name"].as<std::string>(), "signed");
    EXPECT_TRUE(rule[0]["signed"].as<bool>());
    for (pqxx::row::size_type column = 0; column < rule.columns(); ++column)
        EXPECT_STRNE(rule.column_name(column), "secret");
    EXPECT_EQ(as_analyst("SELECT count(*) FROM alert_log")[0][0].as<int>(), 0);
    for (const char* refused :
         {"SELECT secret FROM alert_rules", "SELECT name FROM alert_rules",
          "INSERT INTO alert_rules (name, query, channels) "
          "VALUES ('analyst', 'NATO', '{\"webhook\": \"http://10.0.0.1/\"}')",
          "UPDATE alert_rules SET channels = '{\"webhook\": \"http://10.0.0.1/\"}'",
          "UPDATE alert_rules SET secret = 'mine'", "DELETE FROM alert_rules",
          "DELETE FROM alert_deliveries"})
        EXPECT_THROW(as_analyst(refused), pqxx::insufficient_privilege) << refused;
    EXPECT_EQ(db.text("SELECT channels->>'webhook' || ' ' || secret FROM alert_rules"),
              "https://hooks.example.test/x s3cret");
}

// Webhooks reach private and loopback addresses only when [alerts] webhook_allow lists them,
// and a refused target's error says nothing of what answers there.
TEST_F(AlertsTest, WebhooksToPrivateAddressesNeedWebhookAllow) {
    HttpTestServer server;
    Receiver receiver(server, "/hook");
    std::string open_port = server.url("/hook");
    std::string closed_port = "http://127.0.0.1:1/hook";
    add_rule("open", "NATO", R"({"webhook": ")" + open_port + R"("})");
    add_rule("closed", "NATO", R"({"webhook": ")" + closed_port + R"("})");
    reload();
    poll(wire, {article("w1", "NATO envoys", "text")});
    settings.alerts.webhook_allow = {"192.168.0.0/16", "intranet.example.test"};
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).retried, 2);
    EXPECT_EQ(receiver.count(), 0U);
    auto refusal = ": refused: its address is private, loopback or link-local and not in "
                   "[alerts] webhook_allow";
    auto error_of = [&](const std::string& rule) {
        return db.text("SELECT last_error FROM alert_log WHERE rule = '" + rule + "'");
    };
    EXPECT_EQ(error_of("open"), "webhook to 127.0.0.1" + std::string(refusal));
    EXPECT_EQ(error_of("closed"), "webhook to 127.0.0.1" + std::string(refusal));

    settings.alerts.webhook_allow = {"127.0.0.0/8"};
    ASSERT_TRUE(eventually([&] {
        alerts::Sender(settings).deliver_due(store.connection());
        return rule_status("open") == "sent";
    }));
    EXPECT_EQ(receiver.count(), 1U);
    EXPECT_NE(error_of("closed").find("webhook to 127.0.0.1: "), std::string::npos);
    EXPECT_EQ(error_of("closed").find("refused: its address"), std::string::npos);
}

TEST(WebhookPolicy, ListedHostsAndNetworksOnly) {
    auto v4 = [](const char* text) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        inet_pton(AF_INET, text, &address.sin_addr);
        return address;
    };
    auto v6 = [](const char* text) {
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        inet_pton(AF_INET6, text, &address.sin6_addr);
        return address;
    };
    auto allows = [](const alerts::WebhookPolicy& policy, std::string_view host, auto address) {
        return policy.allows(host, reinterpret_cast<const sockaddr*>(&address));
    };
    alerts::WebhookPolicy none;
    EXPECT_TRUE(allows(none, "example.org", v4("93.184.216.34")));
    EXPECT_FALSE(allows(none, "127.0.0.1", v4("127.0.0.1")));
    EXPECT_FALSE(allows(none, "metadata", v4("169.254.169.254")));
    EXPECT_FALSE(allows(none, "[::1]", v6("::1")));
    alerts::WebhookPolicy some({"10.1.0.0/16", "Chat.Intranet.test", "fd00::/8", "192.168.1.7"});
    EXPECT_TRUE(allows(some, "x", v4("10.1.255.3")));
    EXPECT_FALSE(allows(some, "x", v4("10.2.0.1")));
    EXPECT_TRUE(allows(some, "chat.intranet.test", v4("10.9.9.9")));
    EXPECT_FALSE(allows(some, "other.intranet.test", v4("10.9.9.9")));
    EXPECT_TRUE(allows(some, "x", v6("fd12::1")));
    EXPECT_FALSE(allows(some, "x", v6("::1")));
    EXPECT_TRUE(allows(some, "x", v4("192.168.1.7")));
    EXPECT_FALSE(allows(some, "x", v4("192.168.1.8")));
    EXPECT_EQ(config::check_address_entry("10.0.0.0/33").value_or(""),
              "expected a host name, an address or a network such as 10.1.0.0/16, got "
              "\"10.0.0.0/33\"");
    EXPECT_TRUE(config::check_address_entry("http://x/"));
    EXPECT_FALSE(config::check_address_entry("hooks.internal"));
}

TEST_F(AlertsTest, WebhookCarriesTheDocumentedPayloadSignedWithTheSecret) {
    HttpTestServer server;
    Receiver receiver(server, "/hook");
    add_rule("signed", "NATO", R"({"webhook": ")" + server.url("/hook") + R"("})", ", secret",
             ", 's3cret'");
    reload();
    poll(wire, {article("w1", "NATO envoys in Baku", "NATO met.", {"nato", "azerbaijan"})});
    auto report = alerts::Sender(settings).deliver_due(store.connection());
    EXPECT_EQ(report.sent, 1);
    ASSERT_EQ(receiver.count(), 1U);
    auto body = receiver.body(0);
    EXPECT_EQ(body["rule"], "signed");
    EXPECT_EQ(body["title"], "NATO envoys in Baku");
    EXPECT_EQ(body["url"], "https://news.example.test/w1");
    EXPECT_EQ(body["feed"], "Wire");
    EXPECT_EQ(body["topics"], nlohmann::json({"azerbaijan", "nato"}));
    EXPECT_EQ(body["matched_terms"], nlohmann::json({"NATO"}));
    EXPECT_TRUE(body["published_at"].get<std::string>().ends_with("Z"));
    EXPECT_EQ(body["language"], "en");
    EXPECT_EQ(body["snippet"], "NATO met.");
    EXPECT_EQ(body["snippet_matches"],
              nlohmann::json::parse(R"([{"start": 0, "end": 4, "text": "NATO"}])"));
    EXPECT_NE(body["text"].get<std::string>().find("NATO envoys in Baku"), std::string::npos);
    EXPECT_NE(body["text"].get<std::string>().find("\n*NATO* met.\n"), std::string::npos);
    EXPECT_EQ(receiver.delivery(0), body["delivery_id"].get<std::string>());
    EXPECT_EQ(receiver.delivery(0), db.text("SELECT id::text FROM alert_deliveries"));
    EXPECT_EQ(body["article_id"].get<long long>(),
              db.scalar("SELECT article_id FROM alert_deliveries"));
    EXPECT_EQ(receiver.signature(0), "sha256=" + hmac_hex("s3cret", receiver.raw_body(0)));
    EXPECT_EQ(rule_status("signed"), "sent");
    // Nothing is sent twice.
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).sent, 0);
    EXPECT_EQ(receiver.count(), 1U);
}

TEST_F(AlertsTest, AReceiverThatIsDownGetsTheAlertLaterOnce) {
    HttpTestServer server;
    Receiver receiver(server, "/hook", {503, 503, 200});
    add_rule("retrying", "NATO",
             R"({"webhook": ")" + server.url("/hook") + R"(", "notify": true})");
    reload();
    poll(wire, {article("w1", "NATO", "text")});
    alerts::Sender sender(settings);
    EXPECT_EQ(sender.deliver_due(store.connection()).retried, 1);
    EXPECT_EQ(db.text("SELECT last_error FROM alert_deliveries"), "webhook to 127.0.0.1: HTTP 503");
    ASSERT_TRUE(eventually([&] {
        sender.deliver_due(store.connection());
        return rule_status("retrying") == "sent";
    }));
    EXPECT_EQ(receiver.count(), 3U);
    EXPECT_EQ(receiver.delivery(0), receiver.delivery(2));
    // The NOTIFY channel succeeded the first time and was not repeated.
    EXPECT_EQ(db.text("SELECT array_to_string(channels_done, ' ') FROM alert_deliveries"),
              "notify webhook:" + server.url("/hook"));
    std::this_thread::sleep_for(300ms);
    sender.deliver_due(store.connection());
    EXPECT_EQ(receiver.count(), 3U);
}

TEST_F(AlertsTest, OutOfAttemptsADeliveryFailsVisiblyAndCanBeRetried) {
    HttpTestServer server;
    Receiver receiver(server, "/hook", {500, 500, 500, 200});
    add_rule("failing", "NATO", R"({"webhook": ")" + server.url("/hook") + R"("})");
    reload();
    poll(wire, {article("w1", "NATO", "text")});
    alerts::Sender sender(settings);
    ASSERT_TRUE(eventually([&] {
        sender.deliver_due(store.connection());
        return rule_status("failing") == "failed";
    }));
    EXPECT_EQ(receiver.count(), 3U); // max_attempts
    EXPECT_EQ(db.text("SELECT last_error FROM alert_log"), "webhook to 127.0.0.1: HTTP 500");
    std::this_thread::sleep_for(300ms);
    sender.deliver_due(store.connection());
    EXPECT_EQ(receiver.count(), 3U);

    auto config_path = std::filesystem::temp_directory_path() /
                       ("newsmon-alerts-" + std::to_string(getpid()) + ".toml");
    std::ofstream(config_path) << "[database]\nurl = \"" << db.url() << "\"\n";
    cli::AlertCommand retry;
    retry.action = "retry";
    retry.name = "failing";
    EXPECT_EQ(cli::command_alert({config_path.string(), std::nullopt}, retry), 0);
    std::filesystem::remove(config_path);
    EXPECT_EQ(sender.deliver_due(store.connection()).sent, 1);
    EXPECT_EQ(rule_status("failing"), "sent");
}

TEST_F(AlertsTest, EmailGoesThroughSmtpAsTextAndHtml) {
    testkit::SmtpSink sink;
    settings.smtp.url = sink.url();
    settings.smtp.from = "newsmon@monitor.example.test";
    add_rule("mail", "NATO", R"({"email": ["desk@example.test", "duty@example.test"]})");
    reload();
    poll(wire, {article("w1", "NATO envoys in Bakı",
                        "Bakıda <NATO> & tərəfdaşları görüşüb; NATO'nun nümayəndəsi çıxış edib.",
                        {}, "az")});
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).sent, 1);
    auto mails = sink.mails();
    ASSERT_EQ(mails.size(), 2U);
    EXPECT_EQ(mails[0].from, "newsmon@monitor.example.test");
    EXPECT_EQ(mails[0].recipients, std::vector<std::string>({"desk@example.test"}));
    EXPECT_EQ(mails[1].recipients, std::vector<std::string>({"duty@example.test"}));
    EXPECT_EQ(mails[0].auth_plain, "");
    const std::string& data = mails[0].data;
    EXPECT_NE(data.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_NE(data.find("X-Newsmon-Delivery: "), std::string::npos);
    EXPECT_NE(data.find("Content-Type: multipart/alternative"), std::string::npos);
    EXPECT_NE(data.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
    EXPECT_NE(data.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    std::string plain = mime_part(data, "text/plain; charset=utf-8");
    std::string html = mime_part(data, "text/html; charset=utf-8");
    EXPECT_NE(plain.find("Bakıda <*NATO*> & tərəfdaşları görüşüb; *NATO*'nun nümayəndəsi"),
              std::string::npos)
        << plain;
    EXPECT_NE(html.find("<p lang=\"az\">Bakıda &lt;<mark>NATO</mark>&gt; &amp; tərəfdaşları "
                        "görüşüb; <mark>NATO</mark>'nun nümayəndəsi çıxış edib.</p>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("NATO envoys in Bakı</a>"), std::string::npos) << html;
}

// The sink offers no STARTTLS: with credentials configured, nothing is sent and the password
// never crosses the wire in clear text.
TEST_F(AlertsTest, SmtpCredentialsAreOnlySentOverTls) {
    testkit::SmtpSink sink;
    settings.smtp.url = sink.url();
    settings.smtp.from = "newsmon@monitor.example.test";
    settings.smtp.username = "alerts";
    settings.smtp.password = "pa55word";
    add_rule("mail", "NATO", R"({"email": "desk@example.test"})");
    reload();
    poll(wire, {article("w1", "NATO envoys in Bakı", "NATO met.")});
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).retried, 1);
    EXPECT_TRUE(sink.mails().empty());
    std::string transcript = sink.transcript();
    EXPECT_EQ(transcript.find("AUTH"), std::string::npos) << transcript;
    EXPECT_EQ(transcript.find("pa55word"), std::string::npos) << transcript;
    EXPECT_EQ(transcript.find("cGE1NXdvcm"), std::string::npos) << transcript; // base64 pa55word
    EXPECT_EQ(transcript.find("AGFsZXJ0cwBwYTU1d29yZA"), std::string::npos) << transcript;
    EXPECT_EQ(db.text("SELECT last_error FROM alert_deliveries"),
              "e-mail to \u2026@example.test: the SMTP server offers no TLS (STARTTLS), and [smtp] "
              "credentials are only sent over TLS; use smtps:// or a server with STARTTLS");
}

TEST_F(AlertsTest, EmailWithoutSmtpConfiguredIsAClearDeliveryError) {
    add_rule("mail", "NATO", R"({"email": "desk@example.test"})");
    reload();
    poll(wire, {article("w1", "NATO", "text")});
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).retried, 1);
    EXPECT_EQ(db.text("SELECT last_error FROM alert_deliveries"),
              "e-mail to \u2026@example.test: no [smtp] url in the config");
}

// `newsmon alert …` against the test database, its standard output captured.
class AlertCommands : public AlertsTest {
protected:
    AlertCommands() {
        std::ofstream(m_config) << "[database]\nurl = \"" << db.url()
                                << "\"\n[[topic]]\nname = \"nato\"\nterms = [\"NATO!\"]\n";
    }
    ~AlertCommands() override { std::filesystem::remove(m_config); }

    int run(cli::AlertCommand command, std::string* out = nullptr, std::string* err = nullptr) {
        ::testing::internal::CaptureStdout();
        ::testing::internal::CaptureStderr();
        int status = cli::command_alert({m_config.string(), std::nullopt}, command);
        std::string printed = ::testing::internal::GetCapturedStdout();
        std::string said = ::testing::internal::GetCapturedStderr();
        if (out)
            *out = printed;
        if (err)
            *err = said;
        return status;
    }
    static cli::AlertCommand action(const std::string& verb, const std::string& name = "") {
        cli::AlertCommand command;
        command.action = verb;
        command.name = name;
        return command;
    }

    std::filesystem::path m_config = std::filesystem::temp_directory_path() /
                                     ("newsmon-alertcli-" + std::to_string(getpid()) + ".toml");
};

TEST_F(AlertCommands, AddListDisableEnableRemove) {
    auto add = action("add", "desk");
    add.query = "NATO NEAR/5 Baku";
    add.webhooks = {"https://hooks.example.test/desk"};
    add.emails = {"desk@example.test"};
    add.digest = "1h";
    add.secret = "s3cret";
    EXPECT_EQ(run(add), 0);
    EXPECT_EQ(run(add), 2); // the name is taken
    EXPECT_EQ(
        db.text("SELECT channels::text FROM alert_rules"),
        R"({"email": ["desk@example.test"], "webhook": ["https://hooks.example.test/desk"]})");
    EXPECT_EQ(db.text("SELECT digest::text || ' ' || secret FROM alert_rules"), "01:00:00 s3cret");
    std::string listed;
    auto list = action("list");
    list.json = true;
    EXPECT_EQ(run(list, &listed), 0);
    auto rules_json = nlohmann::json::parse(listed);
    ASSERT_EQ(rules_json.size(), 1U);
    EXPECT_EQ(rules_json[0]["query"], "NATO NEAR/5 Baku");
    EXPECT_EQ(rules_json[0]["enabled"], true);
    EXPECT_EQ(run(action("disable", "desk")), 0);
    EXPECT_EQ(db.text("SELECT enabled::text FROM alert_rules"), "false");
    EXPECT_EQ(run(action("enable", "desk")), 0);
    EXPECT_EQ(db.text("SELECT enabled::text FROM alert_rules"), "true");
    EXPECT_EQ(run(action("rm", "nobody")), 2);
    EXPECT_EQ(run(action("rm", "desk")), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_rules"), 0);
}

// The secret is read from a file or standard input, never needed on the command line.
TEST_F(AlertCommands, SecretFromAFileOrStandardInput) {
    auto secret_path =
        std::filesystem::temp_directory_path() / ("newsmon-secret-" + std::to_string(getpid()));
    std::ofstream(secret_path) << "f1le-s3cret\r\nnot this line\n";
    auto add = action("add", "from-file");
    add.query = "NATO";
    add.webhooks = {"https://hooks.example.test/desk"};
    add.secret_file = secret_path.string();
    EXPECT_EQ(run(add), 0);
    std::filesystem::remove(secret_path);
    EXPECT_EQ(run(add), 2); // the file is gone: refused before the database is touched

    int pipe_ends[2];
    ASSERT_EQ(pipe(pipe_ends), 0);
    ASSERT_EQ(write(pipe_ends[1], "st4din-s3cret\n", 14), 14);
    close(pipe_ends[1]);
    int saved_stdin = dup(0);
    dup2(pipe_ends[0], 0);
    close(pipe_ends[0]);
    add.name = "from-stdin";
    add.secret_file = "-";
    int status = run(add);
    dup2(saved_stdin, 0);
    close(saved_stdin);
    std::cin.clear();
    EXPECT_EQ(status, 0);
    EXPECT_EQ(db.text("SELECT string_agg(name || '=' || secret, ' ' ORDER BY name) "
                      "FROM alert_rules"),
              "from-file=f1le-s3cret from-stdin=st4din-s3cret");
}

TEST_F(AlertCommands, TestShowsTheStoredArticlesAQueryWouldHaveMatched) {
    poll(wire, {article("w1", "NATO envoys", "They arrived in Baku.", {"nato"}),
                article("w2", "Weather", "Sunny in Baku."),
                article("w3", "NATO summit", "Held in Brussels.", {"nato"})});
    auto test = action("test");
    test.query = "topic:nato AND Baku";
    test.json = true;
    std::string printed;
    EXPECT_EQ(run(test, &printed), 0);
    auto found = nlohmann::json::parse(printed);
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0]["title"], "NATO envoys");
    EXPECT_EQ(found[0]["matched_terms"], nlohmann::json({"topic:nato", "Baku"}));
    test.json = false;
    EXPECT_EQ(run(test, &printed), 0);
    EXPECT_NE(printed.find("1 article matched\n"), std::string::npos);
    test.query = "NATO AND (Baku";
    EXPECT_EQ(run(test), 2);
}

// A saved rule is tested by its name; a query keeps working, and a name wins over a query.
TEST_F(AlertCommands, TestTakesASavedRuleByName) {
    poll(wire, {article("w1", "NATO envoys", "They arrived in Baku.", {"nato"}),
                article("w2", "Weather", "Sunny in Baku."),
                article("w3", "NATO summit", "Held in Brussels.", {"nato"})});
    add_rule("nato-baku", "topic:nato AND Baku");
    add_rule("NATO", "Weather");
    add_rule("desk:weather", "Sunny");
    auto test = action("test");
    test.json = true;
    std::string printed, said;
    auto titles = [&](const std::string& argument) {
        test.query = argument;
        EXPECT_EQ(run(test, &printed, &said), 0) << said;
        std::vector<std::string> found;
        for (const auto& hit : nlohmann::json::parse(printed))
            found.push_back(hit["title"]);
        return found;
    };
    EXPECT_EQ(titles("nato-baku"), std::vector<std::string>({"NATO envoys"}));
    EXPECT_EQ(said, "testing rule \"nato-baku\": topic:nato AND Baku\n");
    EXPECT_EQ(titles("NATO"), std::vector<std::string>({"Weather"})); // the rule named NATO
    // newest first, as `search` lists them
    EXPECT_EQ(titles("(NATO)"), std::vector<std::string>({"NATO summit", "NATO envoys"}));
    EXPECT_EQ(said, "");
    EXPECT_EQ(titles("nato AND Brussels"), std::vector<std::string>({"NATO summit"}));
    // A name that is no valid query is still a name.
    EXPECT_EQ(titles("desk:weather"), std::vector<std::string>({"Weather"}));
    // The text output is the query's, whichever way it was given.
    test.json = false;
    test.query = "nato-baku";
    EXPECT_EQ(run(test, &printed), 0);
    EXPECT_NE(printed.find("NATO envoys  https://news.example.test/w1\n    matched: topic:nato, "
                           "Baku\n1 article matched\n"),
              std::string::npos)
        << printed;
    test.query = "nobody:x";
    EXPECT_EQ(run(test, &printed, &said), 2);
    EXPECT_EQ(said, "error: query:1:1: unknown field 'nobody:'; the fields are title:, topic:, "
                    "feed:, lang:\n");
}

// Two rules, one whose receiver answers and one whose receiver is down: `alert log` shows
// each delivery with its article, channels, state and error, newest first.
class AlertLogTest : public AlertCommands {
protected:
    AlertLogTest() {
        add_rule("desk", "NATO",
                 R"({"webhook": ")" + server.url("/desk") + R"(", "notify": true})");
        add_rule("flaky", "Baku", R"({"webhook": ")" + server.url("/flaky") + R"("})");
        reload();
        poll(wire, {article("w1", "NATO envoys in Baku", "text")});
        poll(agency, {article("a1", "NATO summit", "text")});
        alerts::Sender(settings).deliver_due(store.connection());
    }
    nlohmann::json log_json(cli::AlertCommand command) {
        command.json = true;
        std::string printed;
        EXPECT_EQ(run(command, &printed), 0);
        return nlohmann::json::parse(printed);
    }

    HttpTestServer server;
    Receiver desk{server, "/desk"};
    Receiver flaky{server, "/flaky", {503}};
};

TEST_F(AlertLogTest, ShowsDeliveriesNewestFirstWithTheirState) {
    auto log = log_json(action("log"));
    ASSERT_EQ(log.size(), 3U) << log.dump(1);
    std::vector<std::string> order;
    for (const auto& entry : log)
        order.push_back(entry["rule"].get<std::string>() + " " + entry["title"].get<std::string>());
    EXPECT_EQ(order, std::vector<std::string>({"desk NATO summit", "flaky NATO envoys in Baku",
                                               "desk NATO envoys in Baku"}));
    const auto& sent = log[0];
    EXPECT_EQ(sent["feed"], "Agency");
    EXPECT_EQ(sent["status"], "sent");
    EXPECT_EQ(sent["attempts"], 1);
    EXPECT_TRUE(sent["last_error"].is_null());
    EXPECT_TRUE(sent["sent_at"].get<std::string>().ends_with("Z"));
    EXPECT_TRUE(sent["next_attempt_at"].is_null());
    EXPECT_EQ(sent["matched_terms"], nlohmann::json({"NATO"}));
    EXPECT_EQ(sent["channels"],
              nlohmann::json::parse(R"([{"channel": "webhook", "target": ")" + server.url("/desk") +
                                    R"(", "done": true}, {"channel": "notify", "target": null,
                                        "done": true}])"));
    const auto& pending = log[1];
    EXPECT_EQ(pending["status"], "pending");
    EXPECT_EQ(pending["attempts"], 1);
    EXPECT_EQ(pending["last_error"], "webhook to 127.0.0.1: HTTP 503");
    EXPECT_TRUE(pending["sent_at"].is_null());
    EXPECT_FALSE(pending["next_attempt_at"].get<std::string>().empty());
    EXPECT_EQ(pending["channels"][0]["done"], false);
    EXPECT_FALSE(pending["created_at"].get<std::string>().empty());

    std::string printed;
    EXPECT_EQ(run(action("log", "flaky"), &printed), 0);
    EXPECT_TRUE(printed.find("  flaky  pending  attempts=1  delivery=") != std::string::npos &&
                printed.find("    NATO envoys in Baku (Wire, ") != std::string::npos &&
                printed.find("    channels: webhook " + server.url("/flaky") + " not yet\n") !=
                    std::string::npos &&
                printed.find("    next attempt at ") != std::string::npos &&
                printed.find("    last error: webhook to 127.0.0.1: HTTP 503\n") !=
                    std::string::npos)
        << printed;
    EXPECT_EQ(printed.find("desk"), std::string::npos);
}

TEST_F(AlertLogTest, NarrowsByRuleTimeAndCount) {
    EXPECT_EQ(log_json(action("log", "desk")).size(), 2U);
    auto limited = action("log");
    limited.limit = 1;
    auto one = log_json(limited);
    ASSERT_EQ(one.size(), 1U);
    EXPECT_EQ(one[0]["title"], "NATO summit");
    // Deliveries made before a time are left out.
    db.execute("UPDATE alert_deliveries SET created_at = now() - interval '2 days' "
               "WHERE article_id = (SELECT id FROM articles WHERE guid = 'w1')");
    auto recent = action("log");
    recent.since = "1d";
    EXPECT_EQ(log_json(recent).size(), 1U);
    recent.since = "2000-01-01";
    EXPECT_EQ(log_json(recent).size(), 3U);
}

TEST_F(AlertLogTest, AnUnknownRuleIsAnErrorAndAnEmptyLogSaysSo) {
    std::string printed, said;
    EXPECT_EQ(run(action("log", "nobody"), &printed, &said), 2);
    EXPECT_EQ(said, "error: no rule named \"nobody\"\n");
    EXPECT_EQ(printed, "");
    auto future = action("log", "desk");
    future.since = "2999-01-01";
    EXPECT_EQ(run(future, &printed, &said), 0);
    EXPECT_EQ(printed, "");
    EXPECT_EQ(said, "no deliveries of rule \"desk\" since 2999-01-01T00:00:00Z\n");
    EXPECT_EQ(log_json(future), nlohmann::json::array());
    future.since = "yesterday";
    EXPECT_EQ(run(future, &printed, &said), 2);
    EXPECT_NE(said.find("error: --since: expected a date"), std::string::npos) << said;
}

// `alert list` says why a delivery that is still to be retried has not gone out yet.
TEST_F(AlertLogTest, ListShowsTheErrorOfADeliveryToBeRetried) {
    std::string printed;
    EXPECT_EQ(run(action("list"), &printed), 0);
    EXPECT_NE(printed.find("flaky  enabled  sent=0 pending=1 failed=0\n    query: Baku\n    "
                           "channels: {\"webhook\": \"" +
                           server.url("/flaky") +
                           "\"}\n    delivery error, to be retried: webhook to 127.0.0.1: "
                           "HTTP 503\n"),
              std::string::npos)
        << printed;
    EXPECT_EQ(printed.substr(0, printed.find("flaky  enabled")).find("to be retried"),
              std::string::npos) // desk's deliveries went out
        << printed;
    auto list = action("list");
    list.json = true;
    auto rules_json = nlohmann::json::parse((run(list, &printed), printed));
    ASSERT_EQ(rules_json.size(), 2U);
    EXPECT_TRUE(rules_json[0]["pending_error"].is_null()); // desk
    EXPECT_EQ(rules_json[1]["pending_error"], "webhook to 127.0.0.1: HTTP 503");
}

class Listener : public pqxx::notification_receiver {
public:
    Listener(pqxx::connection_base& connection, std::vector<std::string>& payloads,
             const std::string& channel = "newsmon_alert")
        : pqxx::notification_receiver(connection, channel), m_payloads(payloads) {}
    void operator()(const std::string& payload, int) override { m_payloads.push_back(payload); }

private:
    std::vector<std::string>& m_payloads;
};

// Any role may LISTEN: no payload carries a rule's secret.
TEST_F(AlertsTest, NotifyChannelSendsTheJsonPayloadToListeners) {
    pqxx::connection dashboard{db.url()};
    std::vector<std::string> payloads;
    Listener listener(dashboard, payloads);
    Listener rules_listener(dashboard, payloads, "newsmon_rules");
    Listener deliveries_listener(dashboard, payloads, "newsmon_deliveries");
    add_rule("dashboard", "NATO", R"({"notify": true})", ", secret", ", 'n0tify-s3cret'");
    reload();
    poll(wire, {article("w1", "NATO envoys", "text")});
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).sent, 1);
    ASSERT_TRUE(eventually([&] {
        dashboard.await_notification(0, 100'000);
        return std::any_of(payloads.begin(), payloads.end(),
                           [](const std::string& payload) { return !payload.empty(); });
    }));
    std::string alert;
    for (const auto& payload : payloads) {
        EXPECT_EQ(payload.find("n0tify-s3cret"), std::string::npos) << payload;
        if (!payload.empty())
            alert = payload;
    }
    auto payload = nlohmann::json::parse(alert);
    EXPECT_EQ(payload["rule"], "dashboard");
    EXPECT_EQ(payload["title"], "NATO envoys");
}

TEST_F(AlertsTest, ADigestRuleSendsOneMessagePerPeriod) {
    HttpTestServer server;
    Receiver receiver(server, "/digest");
    add_rule("daily", "NATO", R"({"webhook": ")" + server.url("/digest") + R"("})", ", digest",
             ", interval '1 second'");
    reload();
    poll(wire, {article("w1", "NATO one", "a"), article("w2", "NATO two", "b"),
                article("w3", "Weather", "c"), article("w4", "NATO three", "d")});
    alerts::Sender sender(settings);
    ASSERT_TRUE(eventually([&] {
        sender.deliver_due(store.connection());
        return receiver.count() == 1;
    }));
    auto digest = receiver.body(0);
    EXPECT_EQ(digest["digest"], true);
    EXPECT_EQ(digest["articles"].size(), 3U);
    EXPECT_EQ(digest["articles"][0]["title"], "NATO one");
    EXPECT_TRUE(receiver.delivery(0).starts_with("digest-"));
    EXPECT_EQ(rule_status("daily"), "sent,sent,sent");

    poll(wire, {article("w5", "NATO four", "e")});
    sender.deliver_due(store.connection()); // the period since the last digest is not over
    EXPECT_EQ(receiver.count(), 1U);
    ASSERT_TRUE(eventually([&] {
        sender.deliver_due(store.connection());
        return receiver.count() == 2;
    }));
    EXPECT_EQ(receiver.body(1)["articles"].size(), 1U);
}

// The daemon, in-process: rules are picked up while it runs.
class AlertDaemonTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_feed.emplace(server.serve("/feed", [this](const httplib::Request&) {
            std::lock_guard lock(m_mutex);
            return Response{200, m_feed_body, "application/rss+xml", {}};
        }));
        set_items({{"old", "Weather report"}});
        std::ofstream(m_path) << "[database]\nurl = \"" << db.url()
                              << "\"\n[http]\nblock_private = false\n[server]\nlisten = "
                                 "\"off\"\n[log]\nlevel = \"warn\"\n[daemon]\nstate_dir = \""
                              << m_state.string()
                              << "\"\n[alerts]\nretry_delay = \"100ms\"\n"
                                 "webhook_allow = [\"127.0.0.1\"]\n"
                                 "[[feed]]\nname = \"Wire\"\nurl = \""
                              << server.url("/feed") << "\"\ninterval = \"1s\"\n";
    }
    void TearDown() override {
        std::filesystem::remove(m_path);
        std::filesystem::remove_all(m_state);
    }
    void set_items(const std::vector<std::pair<std::string, std::string>>& items) {
        std::string xml = "<rss version=\"2.0\"><channel><title>Wire</title>"
                          "<link>https://wire.example.test/</link>";
        for (const auto& [guid, title] : items)
            xml += "<item><guid>" + guid + "</guid><title>" + title +
                   "</title><link>https://wire.example.test/" + guid + "</link></item>";
        std::lock_guard lock(m_mutex);
        m_feed_body = xml + "</channel></rss>";
    }
    long long count_when_ready(const std::string& sql) {
        try {
            return db.scalar(sql);
        } catch (const std::exception&) {
            return -1;
        }
    }

    TestDatabase db;
    HttpTestServer server;
    std::mutex m_mutex;
    std::string m_feed_body;
    std::optional<HttpTestServer::Endpoint> m_feed;
    std::filesystem::path m_path = std::filesystem::temp_directory_path() /
                                   ("newsmon-alertd-" + std::to_string(getpid()) + ".toml");
    std::filesystem::path m_state =
        std::filesystem::temp_directory_path() / ("newsmon-alertd-" + std::to_string(getpid()));
};

TEST_F(AlertDaemonTest, ARuleAddedWithSqlWhileRunningFiresWithinFiveSeconds) {
    Receiver receiver(server, "/hook");
    testkit::DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return count_when_ready("SELECT count(*) FROM articles") == 1; }));
    auto added = std::chrono::steady_clock::now();
    db.execute("INSERT INTO alert_rules (name, query, channels) VALUES ('sql-rule', 'NATO', "
               "'{\"webhook\": \"" +
               server.url("/hook") + "\"}')");
    db.execute("INSERT INTO alert_rules (name, query, channels) VALUES ('sql-broken', "
               "'NATO NEAR Baku', '{\"notify\": true}')");
    // Give the daemon a moment to read the rules, then publish the story.
    ASSERT_TRUE(eventually(
        [&] { return !db.text("SELECT coalesce(max(last_error), '') FROM alert_rules").empty(); },
        5s));
    set_items({{"old", "Weather report"}, {"new", "NATO envoys arrive"}});
    ASSERT_TRUE(eventually([&] { return receiver.count() == 1; }, 5s));
    auto took = std::chrono::steady_clock::now() - added;
    EXPECT_LT(took, 5s);
    EXPECT_EQ(receiver.body(0)["title"], "NATO envoys arrive");
    EXPECT_EQ(db.text("SELECT last_error FROM alert_rules WHERE name = 'sql-broken'"),
              "query:1:6: expected a number after NEAR/, as in NEAR/5");
    // A disabled rule stops matching as soon as the daemon hears of it.
    db.execute("UPDATE alert_rules SET enabled = false WHERE name = 'sql-rule'");
    std::this_thread::sleep_for(1s);
    set_items({{"old", "Weather report"}, {"new", "NATO envoys arrive"}, {"n2", "NATO again"}});
    ASSERT_TRUE(eventually([&] { return count_when_ready("SELECT count(*) FROM articles") == 3; }));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(receiver.count(), 1U);
    EXPECT_EQ(daemon.stop() < 10s, true);
}

// The real binary, killed with SIGKILL while a webhook POST is in flight, then started again:
// the receiver gets the alert a second time under the same delivery id, and no third time.
TEST_F(AlertDaemonTest, KilledMidDeliveryResendsOnceWithTheSameDeliveryId) {
    std::atomic<int> requests{0};
    std::mutex seen_mutex;
    std::vector<std::string> seen;
    auto hook = server.serve_raw(
        "/hook", [&](const httplib::Request& request, httplib::Response& response) {
            {
                std::lock_guard lock(seen_mutex);
                seen.push_back(request.get_header_value("X-Newsmon-Delivery"));
            }
            if (requests++ == 0)
                std::this_thread::sleep_for(3s); // the daemon is killed while waiting here
            response.status = 200;
        });
    {
        pqxx::connection connection{db.url()};
        store::migrate(connection);
    }
    db.execute("INSERT INTO alert_rules (name, query, channels) VALUES ('hook', 'NATO', "
               "'{\"webhook\": \"" +
               server.url("/hook") + "\"}')");
    set_items({{"new", "NATO envoys arrive"}});
    auto start = [&] {
        pid_t pid = 0;
        std::string config = m_path.string();
        char* argv[] = {const_cast<char*>(NEWSMON_BINARY), const_cast<char*>("--config"),
                        config.data(), const_cast<char*>("run"), nullptr};
        EXPECT_EQ(posix_spawn(&pid, NEWSMON_BINARY, nullptr, nullptr, argv, environ), 0);
        return pid;
    };
    pid_t first = start();
    ASSERT_TRUE(eventually([&] { return requests.load() == 1; }, 15s));
    kill(first, SIGKILL);
    waitpid(first, nullptr, 0);
    EXPECT_EQ(db.text("SELECT status FROM alert_deliveries"), "pending");
    pid_t second = start();
    ASSERT_TRUE(
        eventually([&] { return db.text("SELECT status FROM alert_deliveries") == "sent"; }, 15s));
    std::this_thread::sleep_for(1s);
    kill(second, SIGTERM);
    int status = 0;
    waitpid(second, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    std::lock_guard lock(seen_mutex);
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0], seen[1]);
    EXPECT_EQ(seen[0], db.text("SELECT id::text FROM alert_deliveries"));
}

} // namespace

// A wire story that other feeds copy and translate: the per-story rule alerts once, and once
// more when the story reaches one more feed; the per-article rule alerts for every copy.
TEST_F(AlertsTest, APerStoryRuleAlertsOncePerStoryAndAgainWhenItSpreads) {
    using namespace testkit::story_texts;
    HttpTestServer server;
    Receiver receiver(server, "/story");
    add_rule("rail story", "Rustamov OR Рустамов",
             R"({"webhook": ")" + server.url("/story") + R"("})", ", per, update_every",
             ", 'story', 1");
    add_rule("rail articles", "Rustamov OR Рустамов");
    reload();
    poll(wire,
         {article("rail-en", "Azerbaijan and Georgia cut rail freight tariffs", k_english_report)});
    poll(agency, {article("rail-copy", "Rail tariffs on BTK line to fall 12%", k_english_copy)});
    poll(agency, {article("rail-ru", "Азербайджан и Грузия снизят тарифы на грузоперевозки",
                          k_russian_report, {}, "ru")});
    EXPECT_EQ(matched("rail articles"), (std::set<std::string>{"rail-copy", "rail-en", "rail-ru"}));
    EXPECT_EQ(matched("rail story"), (std::set<std::string>{"rail-copy", "rail-en"}));
    EXPECT_EQ(db.text("SELECT string_agg(kind || ':' || feed_count, ',' ORDER BY delivery_id) "
                      "FROM alert_log WHERE rule = 'rail story'"),
              "match:1,update:2");
    alerts::Sender sender(settings);
    ASSERT_TRUE(eventually([&] {
        sender.deliver_due(store.connection());
        return receiver.count() == 2;
    }));
    auto story = db.scalar("SELECT story_id FROM articles WHERE guid = 'rail-en'");
    auto first = receiver.body(0);
    auto update = receiver.body(1);
    EXPECT_EQ(first["kind"], "match");
    EXPECT_EQ(first["story_id"], story);
    EXPECT_EQ(update["kind"], "update");
    EXPECT_EQ(update["story_id"], story);
    EXPECT_EQ(update["feed_count"], 2);
    EXPECT_FALSE(update["first_seen_at"].get<std::string>().empty());
    EXPECT_NE(update["text"].get<std::string>().find("now 2 outlets"), std::string::npos)
        << update.dump();
}

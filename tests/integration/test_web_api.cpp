// `newsmon web`'s JSON API served on 127.0.0.1 against the test newsroom: every endpoint's
// answer, paging by cursor, ETags, errors that name their parameter, the OpenAPI description
// against what the server answers, and the analyst role it reads with.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http_test_server.hpp"
#include "newsroom.hpp"
#include "service/pipeline.hpp"
#include "test_database.hpp"
#include "web/api_server.hpp"

using namespace newsmon;
using nlohmann::json;

namespace {

class WebApi : public ::testing::Test {
protected:
    void SetUp() override {
        store::Store store(m_database.url());
        m_room = testkit::populate_newsroom(store, m_database.url());
        m_database.execute(
            "INSERT INTO alert_rules (name, query, channels, secret) VALUES "
            "('desk', 'NATO', '{\"webhook\": [\"https://hooks.example.test/x\"]}', 's3cret')");
        m_database.execute(
            "INSERT INTO alert_deliveries (rule_id, article_id, matched_terms, status) "
            "SELECT r.id, a.id, '{NATO}', 'sent' FROM alert_rules r, articles a "
            "WHERE a.duplicate_of IS NULL");
        m_config = testkit::newsroom_config(m_database.url());
        m_config.web.listen = "127.0.0.1:0";
        auto server = web::ApiServer::start(m_config);
        ASSERT_TRUE(server) << server.error();
        m_server = std::move(*server);
        m_client = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
    }

    // GET `path`, expecting `status`; the body as JSON (null for an empty body).
    json get(const std::string& path, int status = 200, const httplib::Headers& headers = {}) {
        auto reply = m_client->Get(path, headers);
        EXPECT_TRUE(reply) << path;
        if (!reply)
            return nullptr;
        EXPECT_EQ(reply->status, status) << path << ": " << reply->body;
        if (reply->status != 304) {
            EXPECT_EQ(reply->get_header_value("Content-Type"), "application/json; charset=utf-8");
        }
        return reply->body.empty() ? json(nullptr) : json::parse(reply->body);
    }

    std::int64_t article_id(const std::string& title) const {
        return m_database.scalar("SELECT id FROM articles WHERE title = '" + title + "'");
    }

    testkit::TestDatabase m_database;
    testkit::Newsroom m_room;
    config::Config m_config;
    std::unique_ptr<web::ApiServer> m_server;
    std::unique_ptr<httplib::Client> m_client;
};

std::vector<std::string> titles_of(const json& items) {
    std::vector<std::string> titles;
    for (const auto& item : items)
        titles.push_back(item["title"]);
    return titles;
}

TEST_F(WebApi, ArticlesAreNewestFirstWithoutRepublications) {
    auto page = get("/api/v1/articles");
    EXPECT_EQ(titles_of(page["items"]),
              (std::vector<std::string>{"NATO envoys meet the president in Baku",
                                        "Азербайджан и НАТО обсудили сотрудничество",
                                        "Alliance ministers gather in Brussels",
                                        "Caspian energy talks in Baku"}));
    EXPECT_TRUE(page["next_cursor"].is_null());
    const auto& first = page["items"][0];
    EXPECT_EQ(first["feed"], "Wire");
    EXPECT_EQ(first["topics"], json({"azerbaijan", "nato"}));
    EXPECT_EQ(first["url"], "https://wire.example.test/1");
}

TEST_F(WebApi, ArticlesFilterByQueryTopicFeedAndTime) {
    auto nato_in_baku = get("/api/v1/articles?q=NATO%20AND%20Baku");
    EXPECT_EQ(titles_of(nato_in_baku["items"]),
              (std::vector<std::string>{"NATO envoys meet the president in Baku"}));
    EXPECT_EQ(nato_in_baku["items"][0]["matched_terms"].size(), 2u);
    EXPECT_EQ(titles_of(get("/api/v1/articles?topic=azerbaijan&feed=Agency")["items"]),
              (std::vector<std::string>{"Caspian energy talks in Baku"}));
    EXPECT_EQ(get("/api/v1/articles?since=1d")["items"].size(), 2u);
    EXPECT_EQ(titles_of(get("/api/v1/articles?since=30d&until=1d")["items"]),
              (std::vector<std::string>{"Alliance ministers gather in Brussels",
                                        "Caspian energy talks in Baku"}));
    EXPECT_EQ(get("/api/v1/articles?lang=xx")["items"].size(), 0u);
}

TEST_F(WebApi, PagingWithTheCursorGivesEachArticleOnce) {
    std::vector<std::int64_t> seen;
    std::string path = "/api/v1/articles?limit=1";
    for (int pages = 0; pages < 10; ++pages) {
        auto page = get(path);
        ASSERT_LE(page["items"].size(), 1u);
        for (const auto& item : page["items"])
            seen.push_back(item["id"]);
        if (page["next_cursor"].is_null())
            break;
        path = "/api/v1/articles?limit=1&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen.size(), 4u);
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 4u);
    EXPECT_EQ(seen.front(), article_id("NATO envoys meet the president in Baku"));
}

TEST_F(WebApi, OneArticleHasItsTextTopicsAndStory) {
    auto id = article_id("NATO envoys meet the president in Baku");
    auto article = get("/api/v1/articles/" + std::to_string(id));
    EXPECT_EQ(article["id"], id);
    EXPECT_EQ(article["summary"], "The Partnership for Peace programme was discussed.");
    ASSERT_EQ(article["topics"].size(), 2u);
    EXPECT_EQ(article["topics"][1]["topic"], "nato");
    EXPECT_EQ(article["topics"][1]["matched_terms"], json({"nato"}));
    EXPECT_EQ(article["topics"][1]["in_title"], true);
    EXPECT_EQ(article["story_id"],
              m_database.scalar("SELECT story_id FROM articles WHERE id = " + std::to_string(id)));
    EXPECT_EQ(get("/api/v1/articles/999999", 404)["parameter"], "id");
    EXPECT_EQ(get("/api/v1/articles/abc", 400)["parameter"], "id");
}

TEST_F(WebApi, StoriesListAndOneStoryWithOutletsAndTimeline) {
    auto page = get("/api/v1/stories?since=30d&topic=nato");
    ASSERT_FALSE(page["items"].empty());
    for (const auto& story : page["items"])
        EXPECT_NE(std::find(story["topics"].begin(), story["topics"].end(), "nato"),
                  story["topics"].end());
    auto story_id = m_database.scalar(
        "SELECT story_id FROM articles WHERE title = 'NATO envoys meet the president in Baku'");
    auto story = get("/api/v1/stories/" + std::to_string(story_id));
    EXPECT_EQ(story["feed_count"], 2);
    ASSERT_EQ(story["articles"].size(), 2u);
    EXPECT_EQ(story["first_publisher"]["feed"], "Wire");
    EXPECT_EQ(story["articles"][0]["feed"], "Wire"); // published first
    EXPECT_EQ(story["articles"][1]["feed"], "Agency");
    EXPECT_EQ(story["outlets"].size(), 2u);
    EXPECT_EQ(get("/api/v1/stories/999999", 404)["parameter"], "id");

    std::set<std::int64_t> seen;
    std::string path = "/api/v1/stories?since=30d&limit=1";
    std::size_t pages = 0;
    for (; pages < 20; ++pages) {
        auto one = get(path);
        for (const auto& item : one["items"])
            EXPECT_TRUE(seen.insert(item["id"].get<std::int64_t>()).second);
        if (one["next_cursor"].is_null())
            break;
        path = "/api/v1/stories?since=30d&limit=1&cursor=" + one["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(static_cast<long long>(seen.size()),
              m_database.scalar("SELECT count(*) FROM stories WHERE last_seen_at >= now() - "
                                "interval '30 days'"));
}

TEST_F(WebApi, TopicCountsPerDayAndPerHour) {
    auto daily = get("/api/v1/topics/nato/counts?interval=day&since=3d");
    ASSERT_EQ(daily["buckets"].size(), 4u); // three days back and today
    long long articles = 0;
    for (const auto& bucket : daily["buckets"])
        articles += bucket["articles"].get<long long>();
    EXPECT_EQ(articles, 3); // w1, w3 today; w2 two days ago (republications not counted)
    EXPECT_EQ(daily["buckets"][1]["articles"], 1);
    auto hourly = get("/api/v1/topics/nato/counts?interval=hour&since=2d");
    EXPECT_GE(hourly["buckets"].size(), 48u);
    EXPECT_EQ(get("/api/v1/topics/weather/counts", 404)["parameter"], "topic");
    EXPECT_EQ(get("/api/v1/topics/nato/counts?interval=week", 400)["parameter"], "interval");
    EXPECT_EQ(get("/api/v1/topics/nato/counts?interval=hour&since=60d", 400)["parameter"], "since");
}

// The counts are the rollups' (topic_hourly and the deltas not folded yet): a delta written by
// hand shows, and the days agree with a count over the articles.
TEST_F(WebApi, TopicCountsComeFromTheRollups) {
    auto hour = m_database.text("SELECT to_char(date_trunc('hour', now(), 'UTC') AT TIME ZONE "
                                "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    auto bucket_at = [&](const json& buckets) {
        for (const auto& bucket : buckets)
            if (bucket["start"] == hour)
                return bucket;
        return json(nullptr);
    };
    auto before = bucket_at(get("/api/v1/topics/nato/counts?interval=hour&since=3h")["buckets"]);
    ASSERT_FALSE(before.is_null());
    m_database.execute("INSERT INTO topic_hourly_changes (topic, hour, articles, stories) "
                       "VALUES ('nato', date_trunc('hour', now(), 'UTC'), 5, 2)");
    auto after = bucket_at(get("/api/v1/topics/nato/counts?interval=hour&since=3h")["buckets"]);
    ASSERT_FALSE(after.is_null());
    EXPECT_EQ(after["articles"].get<long long>(), before["articles"].get<long long>() + 5);
    EXPECT_EQ(after["stories"].get<long long>(), before["stories"].get<long long>() + 2);
    m_database.execute("DELETE FROM topic_hourly_changes WHERE articles = 5 AND stories = 2");
    long long articles = 0, stories = 0;
    auto daily = get("/api/v1/topics/nato/counts?interval=day&since=30d");
    for (const auto& bucket : daily["buckets"]) {
        articles += bucket["articles"].get<long long>();
        stories += bucket["stories"].get<long long>();
    }
    const std::string tagged = "FROM article_topics t JOIN articles a ON a.id = t.article_id "
                               "JOIN stories s ON s.id = a.story_id WHERE t.topic = 'nato' AND "
                               "a.duplicate_of IS NULL AND a.published_at >= "
                               "date_trunc('day', now() - interval '30 days', 'UTC')";
    EXPECT_EQ(articles, m_database.scalar("SELECT count(*) " + tagged));
    EXPECT_EQ(stories,
              m_database.scalar("SELECT count(*) " + tagged + " AND s.first_article_id = a.id"));
}

TEST_F(WebApi, FeedsWithTheirHealth) {
    auto feeds = get("/api/v1/feeds")["items"];
    ASSERT_EQ(feeds.size(), 3u);
    std::map<std::string, json> by_name;
    for (const auto& feed : feeds)
        by_name[feed["name"]] = feed;
    EXPECT_EQ(by_name["Failing"]["health"]["failing"], true);
    EXPECT_EQ(by_name["Failing"]["consecutive_failures"], 3);
    EXPECT_EQ(by_name["Wire"]["health"]["failing"], false);
    EXPECT_EQ(by_name["Wire"]["health"]["overdue"], false);
    EXPECT_EQ(by_name["Wire"]["articles_24h"], 3);
    m_database.execute("UPDATE feeds SET next_poll_at = now() - interval '2 hours', lease_until = "
                       "NULL WHERE name = 'Agency'");
    auto after = get("/api/v1/feeds")["items"];
    for (const auto& feed : after) {
        if (feed["name"] == "Agency") {
            EXPECT_EQ(feed["health"]["overdue"], true);
        }
    }
}

TEST_F(WebApi, AlertsShowNoSecretNorChannelAddress) {
    auto rules = get("/api/v1/alerts")["items"];
    ASSERT_EQ(rules.size(), 1u);
    EXPECT_EQ(rules[0]["name"], "desk");
    EXPECT_EQ(rules[0]["signed"], true);
    EXPECT_EQ(rules[0]["channels"], json({"webhook"}));
    EXPECT_EQ(rules[0]["deliveries"]["sent"], 4);
    auto text = m_client->Get("/api/v1/alerts")->body;
    EXPECT_EQ(text.find("s3cret"), std::string::npos);
    EXPECT_EQ(text.find("hooks.example.test"), std::string::npos);

    std::set<std::int64_t> seen;
    std::string path = "/api/v1/alerts/desk/deliveries?limit=3";
    for (int pages = 0; pages < 5; ++pages) {
        auto page = get(path);
        for (const auto& delivery : page["items"]) {
            EXPECT_EQ(delivery["status"], "sent");
            seen.insert(delivery["id"].get<std::int64_t>());
        }
        if (page["next_cursor"].is_null())
            break;
        path = "/api/v1/alerts/desk/deliveries?limit=3&cursor=" +
               page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen.size(), 4u);
    EXPECT_EQ(get("/api/v1/alerts/nobody/deliveries", 404)["parameter"], "name");
}

TEST_F(WebApi, EveryResponseHasAStrongEtagAndAMatchAnswers304) {
    auto first = m_client->Get("/api/v1/articles?topic=nato");
    ASSERT_TRUE(first);
    auto etag = first->get_header_value("ETag");
    ASSERT_TRUE(etag.size() > 2 && etag.front() == '"' && etag.back() == '"') << etag;
    auto again = m_client->Get("/api/v1/articles?topic=nato", {{"If-None-Match", etag}});
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    EXPECT_EQ(again->get_header_value("ETag"), etag);
    auto other = m_client->Get("/api/v1/articles?topic=azerbaijan", {{"If-None-Match", etag}});
    EXPECT_EQ(other->status, 200);
    EXPECT_NE(other->get_header_value("ETag"), etag);
    // Changed data, changed tag.
    m_database.execute("UPDATE articles SET title = 'Changed' WHERE title = "
                       "'NATO envoys meet the president in Baku'");
    EXPECT_EQ(m_client->Get("/api/v1/articles?topic=nato", {{"If-None-Match", etag}})->status, 200);
    for (const char* path : {"/api/v1/feeds", "/api/v1/alerts", "/api/v1/stories",
                             "/api/v1/openapi.json", "/api/v1/articles/999999"})
        EXPECT_FALSE(m_client->Get(path)->get_header_value("ETag").empty()) << path;
}

TEST_F(WebApi, ErrorsNameTheParameter) {
    auto bad_query = get("/api/v1/articles?q=NATO%20AND", 400);
    EXPECT_EQ(bad_query["parameter"], "q");
    EXPECT_EQ(bad_query["error"], "query:1:6: expected a term after AND");
    EXPECT_EQ(get("/api/v1/articles?q=topic:weather", 400)["parameter"], "q");
    EXPECT_EQ(get("/api/v1/articles?topic=weather", 400)["error"],
              "no topic named \"weather\" in the config");
    EXPECT_EQ(get("/api/v1/articles?feed=Nowhere", 400)["parameter"], "feed");
    EXPECT_EQ(get("/api/v1/articles?limit=0", 400)["parameter"], "limit");
    EXPECT_EQ(get("/api/v1/articles?limit=101", 400)["parameter"], "limit");
    EXPECT_EQ(get("/api/v1/articles?since=yesterday", 400)["parameter"], "since");
    EXPECT_EQ(get("/api/v1/articles?until=soon", 400)["parameter"], "until");
    EXPECT_EQ(get("/api/v1/articles?until=2999-01-01")["items"].size(), 4u);
    EXPECT_EQ(get("/api/v1/articles?cursor=notacursor", 400)["parameter"], "cursor");
    EXPECT_EQ(get("/api/v1/articles?q=" + std::string(501, 'a'), 400)["parameter"], "q");
    EXPECT_EQ(get("/api/v1/articles?limit=1&limit=2", 400)["parameter"], "limit");
    auto unknown = get("/api/v1/articles?color=red", 400);
    EXPECT_EQ(unknown["parameter"], "color");
    EXPECT_EQ(unknown["error"], "unknown parameter");
    EXPECT_EQ(get("/api/v1/feeds?x=1", 400)["parameter"], "x");
    EXPECT_EQ(get("/api/v1/nothing", 404)["error"], "no such path");
    auto post = m_client->Post("/api/v1/articles", "{}", "application/json");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 405);
    EXPECT_EQ(json::parse(post->body)["error"], "this path only reads: use GET");
    EXPECT_EQ(m_client->Delete("/api/v1/alerts/desk")->status, 405);
    // A cursor whose time has the right shape but no such day reaches PostgreSQL, and is
    // still a 400 of the cursor.
    std::string bogus = "MXwyMDI2LTEzLTQwIDAwOjAwOjAwKzAwfDE"; // "1|2026-13-40 00:00:00+00|1"
    EXPECT_EQ(get("/api/v1/articles?cursor=" + bogus, 400)["parameter"], "cursor");
}

// What PostgreSQL would refuse deep in a query is refused at the door, naming the place:
// bytes that are not UTF-8, and times past what a timestamp holds.
TEST_F(WebApi, NonUtf8AndOutOfRangeTimesAreTheClientsError) {
    EXPECT_EQ(get("/api/v1/articles?lang=%ff", 400)["parameter"], "lang");
    EXPECT_EQ(get("/api/v1/articles?q=NATO%c3", 400)["parameter"], "q");
    EXPECT_EQ(get("/feeds/alerts/%ff.atom", 400)["parameter"], "path");
    EXPECT_EQ(get("/api/v1/articles?since=99999999d", 400)["parameter"], "since");
    EXPECT_EQ(get("/api/v1/articles?until=99999-01-01", 400)["parameter"], "until");
    auto page = m_client->Get("/search?q=NATO&lang=%ff");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 400);
    EXPECT_NE(page->body.find("lang: not UTF-8"), std::string::npos) << page->body;
}

// Ranges are not served: thousands of them would make a small answer a multipart reply
// thousands of times its size. The whole answer comes back, as HTTP allows.
TEST_F(WebApi, RangeRequestsGetTheWholeAnswer) {
    auto whole = m_client->Get("/api/v1/feeds");
    ASSERT_TRUE(whole);
    std::string ranges = "bytes=0-";
    for (int i = 0; i < 500; ++i)
        ranges += ",0-";
    for (const char* path : {"/api/v1/feeds", "/"}) {
        auto reply = m_client->Get(path, {{"Range", ranges}});
        ASSERT_TRUE(reply) << path;
        EXPECT_EQ(reply->status, 200) << path;
        EXPECT_FALSE(reply->has_header("Content-Range")) << path;
        EXPECT_LT(reply->body.size(), 200'000u) << path;
    }
    EXPECT_EQ(m_client->Get("/api/v1/feeds", {{"Range", "bytes=0-9"}})->body, whole->body);
}

// Every path the OpenAPI description documents a GET of answers 200 on the newsroom, alone and
// with each documented parameter at its example; a parameter it does not document is refused.
// (Its writes are checked in test_web_writes.)
TEST_F(WebApi, TheOpenApiDescriptionMatchesWhatTheServerAnswers) {
    auto document = get("/api/v1/openapi.json");
    EXPECT_EQ(document["openapi"].get<std::string>().substr(0, 2), "3.");
    const auto& shared = document["components"]["parameters"];
    std::map<std::string, std::string> path_values = {
        {"id", std::to_string(article_id("NATO envoys meet the president in Baku"))},
        {"topic", "nato"},
        {"name", "desk"}};
    std::size_t paths = 0;
    for (const auto& [templated, item] : document["paths"].items()) {
        if (!item.contains("get"))
            continue;
        ++paths;
        std::string path = "/api/v1" + templated;
        for (const auto& [name, value] : path_values) {
            auto at = path.find("{" + name + "}");
            if (at != std::string::npos)
                path.replace(at, name.size() + 2, value);
        }
        ASSERT_EQ(path.find('{'), std::string::npos) << templated;
        if (templated == "/stories/{id}")
            path = "/api/v1/stories/" +
                   std::to_string(m_database.scalar("SELECT story_id FROM articles LIMIT 1"));
        get(path);
        std::set<std::string> documented;
        for (auto parameter : item["get"].value("parameters", json::array())) {
            if (parameter.contains("$ref")) {
                std::string ref = parameter["$ref"];
                parameter = shared[ref.substr(ref.rfind('/') + 1)];
            }
            if (parameter["in"] != "query")
                continue;
            std::string name = parameter["name"];
            documented.insert(name);
            if (name == "cursor")
                continue; // only a cursor the server gave is one; paging tests cover it
            ASSERT_TRUE(parameter.contains("example")) << templated << " " << name;
            auto example = parameter["example"];
            std::string value = example.is_string() ? example.get<std::string>() : example.dump();
            get(path + "?" + name + "=" + httplib::detail::encode_query_param(value));
        }
        EXPECT_EQ(get(path + "?undocumented=1", 400)["parameter"], "undocumented") << templated;
    }
    EXPECT_EQ(paths, 9u);
}

TEST_F(WebApi, ReadsWithTheAnalystRole) {
    // The analyst role may not read alert_rules itself; the API reads through the views.
    m_database.execute("REVOKE SELECT ON alert_rules_public FROM newsmon_analyst");
    auto refused = m_client->Get("/api/v1/alerts");
    EXPECT_EQ(refused->status, 500);
    m_database.execute("GRANT SELECT ON alert_rules_public TO newsmon_analyst");
    EXPECT_EQ(m_client->Get("/api/v1/alerts")->status, 200);
}

// [database] read_url (a replica) is what the web process reads when [web] database_url is
// not set: here the primary cannot be reached at all.
TEST_F(WebApi, ReadsThroughReadUrlWhenItIsSet) {
    config::Config replicated = m_config;
    replicated.database.read_url = m_config.database.url;
    replicated.database.url = "host=/nonexistent/newsmon-socket port=1 dbname=none";
    auto server = web::ApiServer::start(replicated);
    ASSERT_TRUE(server) << server.error();
    httplib::Client client("127.0.0.1", (*server)->port());
    auto feeds = client.Get("/api/v1/feeds");
    ASSERT_TRUE(feeds);
    EXPECT_EQ(feeds->status, 200);
    EXPECT_EQ(json::parse(feeds->body)["items"].size(), 3u);
}

TEST_F(WebApi, ATokenFileMakesReadsNeedTheBearerToken) {
    auto token_file =
        std::filesystem::temp_directory_path() / ("newsmon-web-token-" + std::to_string(getpid()));
    std::ofstream(token_file) << "0123456789abcdef0123\n";
    config::Config guarded = m_config;
    guarded.web.token_file = token_file.string();
    auto server = web::ApiServer::start(guarded);
    ASSERT_TRUE(server) << server.error();
    httplib::Client client("127.0.0.1", (*server)->port());
    auto refused = client.Get("/api/v1/feeds");
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(json::parse(refused->body)["parameter"], "Authorization");
    EXPECT_EQ(client.Get("/api/v1/feeds", {{"Authorization", "Bearer wrong"}})->status, 401);
    // The scheme's name in any case (RFC 7235); the token itself exactly.
    EXPECT_EQ(
        client.Get("/api/v1/feeds", {{"Authorization", "bearer 0123456789abcdef0123"}})->status,
        200);
    EXPECT_EQ(
        client.Get("/api/v1/feeds", {{"Authorization", "Bearer 0123456789ABCDEF0123"}})->status,
        401);
    EXPECT_EQ(
        client.Get("/api/v1/feeds", {{"Authorization", "Bearer 0123456789abcdef0123"}})->status,
        200);
    std::filesystem::remove(token_file);
}

TEST_F(WebApi, StopsWhileAClientHoldsAConnection) {
    httplib::Client idle("127.0.0.1", m_server->port());
    idle.set_keep_alive(true);
    EXPECT_EQ(idle.Get("/api/v1/feeds")->status, 200);
    auto started = std::chrono::steady_clock::now();
    m_server->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, web::ApiServer::k_io_timeout * 2);
    EXPECT_FALSE(m_client->Get("/api/v1/feeds"));
}

// Articles stored by a real poll of a fixture feed (the pipeline `poll --once` runs), read
// back through the API page by page.
TEST(WebApiAfterAPoll, ServesWhatThePollStored) {
    testkit::TestDatabase database;
    testkit::HttpTestServer feeds;
    auto served = feeds.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    auto loaded = config::load_config_text(
        "[database]\nurl = \"" + database.url() +
            "\"\n[http]\nblock_private = false\n[web]\nlisten = \"127.0.0.1:0\"\n"
            "[[feed]]\nname = \"Wire\"\nurl = \"" +
            feeds.url("/rss.php") +
            "\"\nfull_text = \"never\"\n[[topic]]\nname = \"diplomacy\"\n"
            "terms = [\"envoys\", \"ambassadors\"]\n",
        "poll.toml");
    ASSERT_TRUE(loaded.config);
    {
        service::Pipeline pipeline(*loaded.config);
        auto store = pipeline.open_store();
        ASSERT_EQ(service::poll_once(pipeline, *store, "test").feeds.failed, 0);
    }
    auto server = web::ApiServer::start(*loaded.config);
    ASSERT_TRUE(server) << server.error();
    httplib::Client client("127.0.0.1", (*server)->port());
    std::set<std::string> titles;
    std::string path = "/api/v1/articles?limit=2";
    for (int pages = 0; pages < 5 && !path.empty(); ++pages) {
        auto reply = client.Get(path);
        ASSERT_TRUE(reply && reply->status == 200);
        auto page = json::parse(reply->body);
        for (const auto& item : page["items"]) {
            EXPECT_EQ(item["feed"], "Wire");
            EXPECT_TRUE(titles.insert(item["title"].get<std::string>()).second);
        }
        path = page["next_cursor"].is_null()
                   ? ""
                   : "/api/v1/articles?limit=2&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(titles.size(), 5u);
    EXPECT_TRUE(titles.contains("Foreign minister meets alliance envoys in Baku"));
    auto tagged = json::parse(client.Get("/api/v1/articles?topic=diplomacy")->body)["items"];
    ASSERT_EQ(tagged.size(), 2u);
    auto article = json::parse(
        client.Get("/api/v1/articles/" + std::to_string(tagged[0]["id"].get<long long>()))->body);
    EXPECT_EQ(article["topics"][0]["topic"], "diplomacy");
    EXPECT_FALSE(article["topics"][0]["matched_terms"].empty());
    auto feed_list = json::parse(client.Get("/api/v1/feeds")->body)["items"];
    ASSERT_EQ(feed_list.size(), 1u);
    EXPECT_EQ(feed_list[0]["last_http_status"], 200);
    EXPECT_EQ(feed_list[0]["health"]["failing"], false);
}

// A hundred clients that open a connection and send half a request, and hold it, take the web
// server's workers and its backlog; a poll of the same database meanwhile stores as fast as
// ever, and the server answers again once they hang up.
TEST(WebApiUnderSlowClients, AHundredSlowClientsDoNotStallAPoll) {
    testkit::TestDatabase database;
    testkit::HttpTestServer feeds;
    auto served = feeds.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    auto loaded = config::load_config_text(
        "[database]\nurl = \"" + database.url() +
            "\"\n[http]\nblock_private = false\n[web]\nlisten = \"127.0.0.1:0\"\n"
            "[[feed]]\nname = \"Wire\"\nurl = \"" +
            feeds.url("/rss.php") + "\"\nfull_text = \"never\"\n",
        "poll.toml");
    ASSERT_TRUE(loaded.config);
    service::Pipeline pipeline(*loaded.config);
    auto store = pipeline.open_store();
    auto server = web::ApiServer::start(*loaded.config);
    ASSERT_TRUE(server) << server.error();
    std::vector<int> slow;
    for (int i = 0; i < 100; ++i) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_GE(fd, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>((*server)->port()));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        constexpr std::string_view k_half = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        ASSERT_EQ(send(fd, k_half.data(), k_half.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(k_half.size()));
        slow.push_back(fd);
    }
    auto started = std::chrono::steady_clock::now();
    auto report = service::poll_once(pipeline, *store, "test");
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(report.feeds.failed, 0);
    EXPECT_EQ(database.scalar("SELECT count(*) FROM articles"), 5);
    EXPECT_LT(took, std::chrono::seconds{4}) << "the poll waited on the web server";
    // They hang up: the workers they held are free again at once.
    for (int fd : slow)
        close(fd);
    httplib::Client client("127.0.0.1", (*server)->port());
    client.set_read_timeout(std::chrono::seconds{30});
    started = std::chrono::steady_clock::now();
    auto reply = client.Get("/api/v1/feeds");
    EXPECT_TRUE(reply && reply->status == 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, web::ApiServer::k_io_timeout * 2);
}

// `newsmon web` as systemd runs it: it serves on the port it logs, and SIGTERM ends it with
// status 0.
TEST_F(WebApi, TheBinaryServesUntilSigtermAndStopsCleanly) {
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-web-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path) << "[web]\nlisten = \"127.0.0.1:0\"\n";
    int output[2];
    ASSERT_EQ(pipe(output), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        dup2(output[1], STDERR_FILENO);
        close(output[0]);
        setenv("NEWSMON_DATABASE_URL", m_database.url().c_str(), 1);
        execl(NEWSMON_BINARY, "newsmon", "--config", path.c_str(), "web", nullptr);
        _exit(127);
    }
    close(output[1]);
    // The port it listens on, from "web listening listen=127.0.0.1:0 port=N".
    auto logged_port = [](const std::string& text) {
        auto line = text.find("web listening");
        auto at = line == std::string::npos ? line : text.find("port=", line);
        auto end = at == std::string::npos ? at : text.find_first_not_of("0123456789", at + 5);
        return end == std::string::npos ? 0 : std::atoi(text.substr(at + 5, end - at - 5).c_str());
    };
    std::string log;
    while (logged_port(log) == 0) {
        pollfd waiting{output[0], POLLIN, 0};
        ASSERT_GT(::poll(&waiting, 1, 20'000), 0) << log;
        char buffer[512];
        auto got = read(output[0], buffer, sizeof buffer);
        ASSERT_GT(got, 0) << log;
        log.append(buffer, static_cast<std::size_t>(got));
    }
    httplib::Client client("127.0.0.1", logged_port(log));
    auto reply = client.Get("/api/v1/feeds");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(json::parse(reply->body)["items"].size(), 3u);
    kill(child, SIGTERM);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    close(output[0]);
    std::filesystem::remove(path);
}

} // namespace

// The dashboard's pages, served by the same process: HTML with a policy that runs no script.
class WebPages : public WebApi {
protected:
    // GET `path`, expecting `status` and an HTML page; its body.
    std::string page(const std::string& path, int status = 200) {
        auto reply = m_client->Get(path);
        EXPECT_TRUE(reply) << path;
        if (!reply)
            return "";
        EXPECT_EQ(reply->status, status) << path;
        EXPECT_EQ(reply->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
        EXPECT_NE(reply->get_header_value("Content-Security-Policy").find("default-src 'none'"),
                  std::string::npos)
            << path;
        EXPECT_FALSE(reply->get_header_value("ETag").empty()) << path;
        return reply->body;
    }
};

TEST_F(WebPages, TheDashboardShowsEverySection) {
    auto html = page("/");
    for (const char* section : {"volume", "top-stories", "latest", "spikes", "feeds", "alerts"})
        EXPECT_NE(html.find(std::string("<section id=\"") + section + "\""), std::string::npos)
            << section;
    EXPECT_NE(html.find(R"(data-topic="nato")"), std::string::npos);
    EXPECT_NE(html.find(R"(data-points="30")"), std::string::npos);
    EXPECT_NE(html.find(R"(data-points="168")"), std::string::npos);
    EXPECT_NE(html.find("NATO envoys meet the president in Baku"), std::string::npos);
    EXPECT_NE(html.find("<td>desk</td>"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

// One rendering of the dashboard serves every client for [web] dashboard_cache (5 s by
// default): a title changed just after a load shows only once that copy has aged.
TEST_F(WebPages, TheDashboardIsRenderedOnceForEveryClientWithinItsLifetime) {
    EXPECT_NE(page("/").find("NATO envoys meet the president in Baku"), std::string::npos);
    m_database.execute("UPDATE articles SET title = 'Renamed after the load' "
                       "WHERE title = 'NATO envoys meet the president in Baku'");
    auto shared = page("/");
    EXPECT_NE(shared.find("NATO envoys meet the president in Baku"), std::string::npos);
    EXPECT_EQ(shared.find("Renamed after the load"), std::string::npos);
    page("/?refresh=1", 400); // parameters are still checked on every request
}

TEST_F(WebPages, SearchMarksWhatMatchedAndExplainsABrokenQuery) {
    auto html = page("/search?q=NATO%20AND%20Baku");
    EXPECT_NE(html.find(R"(<ol class="items" id="results">)"), std::string::npos) << html;
    EXPECT_NE(html.find("<mark>NATO</mark> envoys meet the president in <mark>Baku</mark>"),
              std::string::npos)
        << html;
    EXPECT_EQ(html.find("Caspian energy talks"), std::string::npos);
    auto broken = page("/search?q=NATO%20AND");
    EXPECT_NE(broken.find("expected a term after AND"), std::string::npos) << broken;
    EXPECT_NE(page("/search?topic=weather").find("no topic named"), std::string::npos);
    EXPECT_NE(page("/search").find("as in alert rules"), std::string::npos);
}

TEST_F(WebPages, ArticleAndStoryPagesAndTheirErrors) {
    auto id = article_id("NATO envoys meet the president in Baku");
    auto article = page("/articles/" + std::to_string(id));
    EXPECT_NE(article.find("<h1>NATO envoys meet the president in Baku</h1>"), std::string::npos);
    EXPECT_NE(article.find("Matched: desk"), std::string::npos);
    auto story_id =
        m_database.scalar("SELECT story_id FROM articles WHERE id = " + std::to_string(id));
    auto story = page("/stories/" + std::to_string(story_id));
    EXPECT_NE(story.find(R"(<table id="outlets">)"), std::string::npos);
    EXPECT_NE(story.find("First published by"), std::string::npos);
    EXPECT_NE(page("/articles/999999", 404).find("no article with id 999999"), std::string::npos);
    EXPECT_NE(page("/stories/x", 400).find("id:"), std::string::npos);
    EXPECT_NE(page("/no/such/page", 404).find("no such path"), std::string::npos);
    EXPECT_EQ(get("/api/v1/no-such-endpoint", 404)["error"], "no such path");
}

TEST_F(WebPages, TheArticleApiCarriesItsHtmlAndTheRulesItMatched) {
    auto id = article_id("NATO envoys meet the president in Baku");
    auto article = get("/api/v1/articles/" + std::to_string(id));
    EXPECT_EQ(article["alert_rules"], json({"desk"}));
    EXPECT_TRUE(article["content_html"].is_string());
}

TEST_F(WebPages, TheStylesheetIsServedAndCached) {
    auto reply = m_client->Get("/static/newsmon.css");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->get_header_value("Content-Type"), "text/css; charset=utf-8");
    EXPECT_NE(reply->body.find("prefers-color-scheme: dark"), std::string::npos);
    auto again =
        m_client->Get("/static/newsmon.css", {{"If-None-Match", reply->get_header_value("ETag")}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
}

// `newsmon web`'s Atom feeds served on 127.0.0.1 against the test newsroom: each feed read back
// by newsmon's own parser and by feedparser (well-formed, the right entries, titles and links),
// hostile stored text kept as text, stable entry ids, ETags, errors that name their parameter,
// and the bearer token.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "newsmon/parsers/feed.hpp"
#include "newsroom.hpp"
#include "test_database.hpp"
#include "web/api_server.hpp"

using namespace newsmon;
using nlohmann::json;

namespace {

constexpr const char* k_hostile_title = "<script>alert(1)</script> & ]]> \x01\x0b bell\x07 end";

class AtomFeeds : public ::testing::Test {
protected:
    void SetUp() override {
        store::Store store(m_database.url());
        m_room = testkit::populate_newsroom(store, m_database.url());
        m_database.execute("INSERT INTO alert_rules (name, query, channels) VALUES "
                           "('desk', 'Baku', '{\"notify\": true}')");
        // Delivered in this order: the feed shows the last delivered first.
        for (const char* title :
             {"NATO envoys meet the president in Baku", "Caspian energy talks in Baku"})
            m_database.execute("INSERT INTO alert_deliveries (rule_id, article_id, "
                               "matched_terms, status) SELECT r.id, a.id, '{Baku}', 'sent' "
                               "FROM alert_rules r, articles a WHERE r.name = 'desk' AND "
                               "a.title = '" +
                               std::string(title) + "'");
        m_config = testkit::newsroom_config(m_database.url());
        m_config.web.listen = "127.0.0.1:0";
        auto server = web::ApiServer::start(m_config);
        ASSERT_TRUE(server) << server.error();
        m_server = std::move(*server);
        m_client = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
    }

    // Stores an article on the Wire feed whose title, author and summary a feed reader must
    // show as text.
    void store_hostile_article() {
        store::Store store(m_database.url());
        auto item = testkit::make_item("hostile", k_hostile_title,
                                       "https://wire.example.test/h?a=1&b=\"2\"",
                                       testkit::start_of_today() + std::chrono::seconds{40},
                                       "Summary with <b>markup</b> &amp; a \x1b escape");
        item.authors.emplace_back("Ann </name></author> Roe");
        testkit::store_items(store, m_room.wire, {item}, {{testkit::topic("nato")}});
    }

    // GET `path`, expecting 200 and an Atom document; the body.
    std::string fetch(const std::string& path) {
        auto reply = m_client->Get(path);
        EXPECT_TRUE(reply) << path;
        if (!reply)
            return "";
        EXPECT_EQ(reply->status, 200) << path << ": " << reply->body;
        EXPECT_EQ(reply->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
        return reply->body;
    }

    // GET `path`, expecting `status` and the API's JSON error.
    json refused(const std::string& path, int status) {
        auto reply = m_client->Get(path);
        EXPECT_TRUE(reply) << path;
        if (!reply)
            return nullptr;
        EXPECT_EQ(reply->status, status) << path << ": " << reply->body;
        EXPECT_EQ(reply->get_header_value("Content-Type"), "application/json; charset=utf-8");
        return json::parse(reply->body);
    }

    testkit::TestDatabase m_database;
    testkit::Newsroom m_room;
    config::Config m_config;
    std::unique_ptr<web::ApiServer> m_server;
    std::unique_ptr<httplib::Client> m_client;
};

// The document as `newsmon parse` reads it: an Atom 1.0 feed without a single repair.
parsers::Feed read_back(const std::string& body) {
    auto feed = parsers::parse_feed(body);
    EXPECT_TRUE(feed) << (feed ? "" : feed.error().message) << "\n" << body;
    if (!feed)
        return {};
    EXPECT_EQ(feed->format, parsers::FeedFormat::atom1_0);
    for (const auto& warning : feed->warnings)
        ADD_FAILURE() << warning << "\n" << body;
    return *feed;
}

// The document as feedparser reads it (tests/support/feedparser_summary.py).
json feedparser_reads(const std::string& body) {
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-atom-" + std::to_string(getpid()) + ".xml");
    std::ofstream(path, std::ios::binary) << body;
    std::string command = std::string(NEWSMON_PYTHON3) + " " + NEWSMON_SOURCE_DIR +
                          "/tests/support/feedparser_summary.py " + path.string();
    std::string output;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        std::array<char, 4096> buffer{};
        while (auto got = fread(buffer.data(), 1, buffer.size(), pipe))
            output.append(buffer.data(), got);
        EXPECT_EQ(pclose(pipe), 0) << command << "\n" << output;
    }
    std::filesystem::remove(path);
    auto parsed = json::parse(output, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << output;
    return parsed;
}

std::vector<std::string> titles_of(const parsers::Feed& feed) {
    std::vector<std::string> titles;
    for (const auto& item : feed.items)
        titles.emplace_back(item.title);
    return titles;
}

std::vector<std::string> strings(const parsers::TextList& list) {
    return {list.begin(), list.end()};
}

TEST_F(AtomFeeds, SearchFeedHasTheMatchingArticlesWithLinksAndTopics) {
    auto feed = read_back(fetch("/feeds/search.atom?q=NATO%20AND%20Baku"));
    EXPECT_EQ(feed.title, "newsmon: NATO AND Baku");
    ASSERT_EQ(titles_of(feed),
              (std::vector<std::string>{"NATO envoys meet the president in Baku"}));
    const auto& item = feed.items[0];
    EXPECT_EQ(item.link, "https://wire.example.test/1");
    EXPECT_EQ(item.summary, "The Partnership for Peace programme was discussed.");
    EXPECT_EQ(strings(item.categories), (std::vector<std::string>{"azerbaijan", "nato"}));
    ASSERT_TRUE(item.published && item.updated);
    EXPECT_EQ(*item.published, testkit::start_of_today() + std::chrono::seconds{20});
    EXPECT_EQ(item.guid.substr(0, 25), "tag:newsmon,2025:article:");

    // The filters the API takes, and newest first as it lists them.
    EXPECT_EQ(titles_of(read_back(fetch("/feeds/search.atom?q=Baku&feed=Agency"))),
              (std::vector<std::string>{"Caspian energy talks in Baku"}));
    EXPECT_EQ(titles_of(read_back(fetch("/feeds/search.atom?q=NATO%20OR%20НАТО&topic=azerbaijan"))),
              (std::vector<std::string>{"NATO envoys meet the president in Baku",
                                        "Азербайджан и НАТО обсудили сотрудничество"}));
    EXPECT_TRUE(read_back(fetch("/feeds/search.atom?q=NATO&lang=xx")).items.empty());
    EXPECT_EQ(read_back(fetch("/feeds/search.atom?q=NATO%20OR%20Baku&limit=2")).items.size(), 2u);
}

TEST_F(AtomFeeds, TopicFeedHasTheTopicsArticlesNewestFirst) {
    std::string body = fetch("/feeds/topics/azerbaijan.atom");
    auto feed = read_back(body);
    EXPECT_EQ(feed.title, "newsmon: topic azerbaijan (The country)");
    EXPECT_EQ(titles_of(feed),
              (std::vector<std::string>{"NATO envoys meet the president in Baku",
                                        "Азербайджан и НАТО обсудили сотрудничество",
                                        "Caspian energy talks in Baku"}));
    EXPECT_EQ(feed.items[2].link, "https://agency.example.test/78");
    EXPECT_NE(body.find("<link rel=\"self\" href=\"/feeds/topics/azerbaijan.atom\""),
              std::string::npos);
    auto unknown = refused("/feeds/topics/weather.atom", 404);
    EXPECT_EQ(unknown["error"], "no topic named \"weather\" in the config");
    EXPECT_EQ(unknown["parameter"], "topic");
}

TEST_F(AtomFeeds, AlertFeedHasTheRulesDeliveriesLastDeliveredFirst) {
    auto feed = read_back(fetch("/feeds/alerts/desk.atom"));
    EXPECT_EQ(feed.title, "newsmon: alert desk");
    EXPECT_EQ(titles_of(feed),
              (std::vector<std::string>{"Caspian energy talks in Baku",
                                        "NATO envoys meet the president in Baku"}));
    EXPECT_EQ(read_back(fetch("/feeds/alerts/desk.atom?limit=1")).items.size(), 1u);
    auto unknown = refused("/feeds/alerts/nobody.atom", 404);
    EXPECT_EQ(unknown["error"], "no alert rule named \"nobody\"");
    EXPECT_EQ(unknown["parameter"], "name");
}

TEST_F(AtomFeeds, FeedparserFindsEveryFeedWellFormed) {
    for (const std::string path : {"/feeds/search.atom?q=NATO", "/feeds/topics/nato.atom",
                                   "/feeds/alerts/desk.atom", "/feeds/topics/azerbaijan.atom"}) {
        std::string body = fetch(path);
        auto ours = read_back(body);
        auto theirs = feedparser_reads(body);
        EXPECT_EQ(theirs["bozo"], false) << path << ": " << theirs["bozo_exception"];
        EXPECT_EQ(theirs["version"], "atom10") << path;
        EXPECT_EQ(theirs["title"], ours.title) << path;
        EXPECT_EQ(theirs["self"], json::array({path})) << path;
        ASSERT_EQ(theirs["entries"].size(), ours.items.size()) << path;
        for (std::size_t i = 0; i < ours.items.size(); ++i) {
            const auto& entry = theirs["entries"][i];
            EXPECT_EQ(entry["id"], std::string(ours.items[i].guid)) << path;
            EXPECT_EQ(entry["link"], std::string(ours.items[i].link)) << path;
            EXPECT_EQ(entry["title"], std::string(ours.items[i].title)) << path;
            EXPECT_EQ(entry["tags"], json(strings(ours.items[i].categories))) << path;
        }
    }
}

TEST_F(AtomFeeds, HostileStoredTextStaysText) {
    store_hostile_article();
    std::string body = fetch("/feeds/topics/nato.atom");
    EXPECT_EQ(body.find("<script>"), std::string::npos);
    EXPECT_EQ(body.find("<b>"), std::string::npos);
    EXPECT_EQ(body.find("]]>"), std::string::npos);
    for (char control : {'\x01', '\x07', '\x0b', '\x1b'})
        EXPECT_EQ(body.find(control), std::string::npos) << int(control);
    auto ours = read_back(body);
    ASSERT_FALSE(ours.items.empty());
    const auto& item = ours.items[0];
    EXPECT_EQ(std::string(item.title), "<script>alert(1)</script> & ]]> bell end");
    EXPECT_EQ(std::string(item.link), "https://wire.example.test/h?a=1&b=\"2\"");
    // newsmon reads Atom text as HTML (feeds in the wild need it); feedparser reads it exactly.
    auto theirs = feedparser_reads(body);
    EXPECT_EQ(theirs["bozo"], false) << theirs["bozo_exception"];
    const auto& entry = theirs["entries"][0];
    EXPECT_EQ(entry["title"], "<script>alert(1)</script> & ]]>  bell end");
    EXPECT_EQ(entry["link"], "https://wire.example.test/h?a=1&b=\"2\"");
    EXPECT_EQ(entry["author"], "Ann </name></author> Roe");
    EXPECT_EQ(entry["summary"], "Summary with <b>markup</b> &amp; a  escape");
}

// A link that is no web link (a row written by other means) is not written as one: the entry
// links to the article in the API instead, as the dashboard drops it.
TEST_F(AtomFeeds, AJavascriptLinkIsNeverWritten) {
    m_database.execute("UPDATE articles SET url = 'javascript:alert(1)' "
                       "WHERE title = 'NATO envoys meet the president in Baku'");
    auto id = m_database.scalar(
        "SELECT id FROM articles WHERE title = 'NATO envoys meet the president in Baku'");
    std::string body = fetch("/feeds/topics/nato.atom");
    EXPECT_EQ(body.find("javascript:"), std::string::npos) << body;
    EXPECT_NE(body.find("href=\"/api/v1/articles/" + std::to_string(id) + "\""), std::string::npos)
        << body;
}

TEST_F(AtomFeeds, AnArticleKeepsItsIdInEveryFeedAndOnEveryRead) {
    auto search = read_back(fetch("/feeds/search.atom?q=NATO%20AND%20Baku"));
    auto topic = read_back(fetch("/feeds/topics/nato.atom"));
    auto alert = read_back(fetch("/feeds/alerts/desk.atom"));
    ASSERT_EQ(search.items.size(), 1u);
    ASSERT_FALSE(topic.items.empty());
    EXPECT_EQ(topic.items[0].guid, search.items[0].guid);
    EXPECT_EQ(alert.items[1].guid, search.items[0].guid);
    std::set<std::string> ids;
    for (const auto& item : topic.items)
        ids.insert(std::string(item.guid));
    EXPECT_EQ(ids.size(), topic.items.size());
    // The id does not hang on the article's row: written again, it is the same.
    m_database.execute("UPDATE articles SET title = 'Changed' WHERE title = "
                       "'NATO envoys meet the president in Baku'");
    EXPECT_EQ(read_back(fetch("/feeds/topics/nato.atom")).items[0].guid, topic.items[0].guid);
}

TEST_F(AtomFeeds, AStrongEtagAndA304) {
    auto first = m_client->Get("/feeds/topics/nato.atom");
    ASSERT_TRUE(first);
    auto etag = first->get_header_value("ETag");
    ASSERT_TRUE(etag.size() > 2 && etag.front() == '"') << etag;
    auto again = m_client->Get("/feeds/topics/nato.atom", {{"If-None-Match", etag}});
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    m_database.execute("UPDATE articles SET title = 'Changed' WHERE title = "
                       "'NATO envoys meet the president in Baku'");
    auto changed = m_client->Get("/feeds/topics/nato.atom", {{"If-None-Match", etag}});
    EXPECT_EQ(changed->status, 200);
    EXPECT_NE(changed->body.find("<title type=\"text\">Changed</title>"), std::string::npos);
}

TEST_F(AtomFeeds, ParametersAreCheckedAsTheApiChecksThem) {
    EXPECT_EQ(refused("/feeds/search.atom", 400)["parameter"], "q");
    EXPECT_EQ(refused("/feeds/search.atom?q=", 400)["parameter"], "q");
    auto bad_query = refused("/feeds/search.atom?q=NATO%20AND", 400);
    EXPECT_EQ(bad_query["error"], "query:1:6: expected a term after AND");
    EXPECT_EQ(refused("/feeds/search.atom?q=NATO&topic=weather", 400)["parameter"], "topic");
    EXPECT_EQ(refused("/feeds/search.atom?q=NATO&feed=Nowhere", 400)["parameter"], "feed");
    EXPECT_EQ(refused("/feeds/search.atom?q=NATO&limit=201", 400)["parameter"], "limit");
    EXPECT_EQ(refused("/feeds/search.atom?q=NATO&limit=0", 400)["parameter"], "limit");
    EXPECT_EQ(refused("/feeds/search.atom?q=NATO&since=7d", 400)["parameter"], "since");
    EXPECT_EQ(refused("/feeds/topics/nato.atom?q=NATO", 400)["parameter"], "q");
    EXPECT_EQ(refused("/feeds/search.atom?q=" + std::string(501, 'a'), 400)["parameter"], "q");
    EXPECT_EQ(refused("/feeds/topics/nato.rss", 404)["error"], "no such path");
    EXPECT_EQ(read_back(fetch("/feeds/search.atom?q=NATO%20OR%20НАТО%20OR%20Baku%20OR%20Brussels"
                              "&limit=200"))
                  .items.size(),
              4u);
    // The query's order and encoding do not change the document's address.
    std::string body = fetch("/feeds/search.atom?limit=5&q=NATO%20Baku");
    EXPECT_NE(body.find("<link rel=\"self\" href=\"/feeds/search.atom?limit=5&amp;q=NATO%20Baku\""),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("<id>tag:newsmon,2025:/feeds/search.atom?q=NATO%20Baku</id>"),
              std::string::npos)
        << body;
}

TEST_F(AtomFeeds, ATokenFileGuardsTheFeedsToo) {
    auto token_file =
        std::filesystem::temp_directory_path() / ("newsmon-atom-token-" + std::to_string(getpid()));
    std::ofstream(token_file) << "0123456789abcdef0123\n";
    config::Config guarded = m_config;
    guarded.web.token_file = token_file.string();
    auto server = web::ApiServer::start(guarded);
    ASSERT_TRUE(server) << server.error();
    httplib::Client client("127.0.0.1", (*server)->port());
    for (const char* path :
         {"/feeds/topics/nato.atom", "/feeds/search.atom?q=NATO", "/feeds/alerts/desk.atom"}) {
        auto refused = client.Get(path);
        ASSERT_TRUE(refused);
        EXPECT_EQ(refused->status, 401) << path;
        EXPECT_EQ(refused->body.find("NATO"), std::string::npos);
        auto allowed = client.Get(path, {{"Authorization", "Bearer 0123456789abcdef0123"}});
        EXPECT_EQ(allowed->status, 200) << path;
    }
    std::filesystem::remove(token_file);
}

} // namespace

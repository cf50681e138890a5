#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "http_test_server.hpp"
#include "service/pipeline.hpp"
#include "test_database.hpp"

using namespace newsmon;
using testkit::HttpTestServer;
using testkit::Response;
using testkit::TestDatabase;

namespace {

struct FeedSpec {
    std::string name;
    std::string url;
    std::string extra; // more TOML lines for the [[feed]] table
};

std::string config_text(const std::string& database_url, const std::vector<FeedSpec>& feeds) {
    std::string text = "[database]\nurl = \"" + database_url +
                       "\"\n[http]\nblock_private = false\n"
                       "timeout = \"10s\"\n";
    for (const auto& feed : feeds)
        text += "[[feed]]\nname = \"" + feed.name + "\"\nurl = \"" + feed.url + "\"\n" +
                feed.extra + "\n";
    return text;
}

class PollOnce : public ::testing::Test {
protected:
    config::Config configure(const std::vector<FeedSpec>& feeds) {
        auto loaded = config::load_config_text(config_text(db.url(), feeds), "test.toml");
        EXPECT_TRUE(loaded.config);
        return loaded.config ? *loaded.config : config::Config{};
    }

    // What `poll --once` runs: the same pipeline, built the same way.
    service::CycleReport poll(const config::Config& config) {
        service::Pipeline pipeline(config);
        auto store = pipeline.open_store();
        return service::poll_once(pipeline, *store, "test").feeds;
    }

    TestDatabase db;
    HttpTestServer server;
};

} // namespace

TEST_F(PollOnce, StoresEveryItemOnceAndNothingOnTheSecondRun) {
    auto wire = server.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    auto agency = server.serve_file("/agency", "feeds/rss20/items_without_guid.xml");
    auto config =
        configure({{"Wire politics", server.url("/rss.php"), "categories = [\"Politics\"]"},
                   {"Agency", server.url("/agency"), ""}});

    auto first = poll(config);
    EXPECT_EQ(first.feeds, 2u);
    EXPECT_EQ(first.failed, 0u);
    EXPECT_EQ(first.articles_new, 6u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 6);
    EXPECT_EQ(db.scalar("SELECT count(DISTINCT (feed_id, guid)) FROM articles"), 6);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE 'Politics' ILIKE ANY (categories)"),
              3);

    auto second = poll(config);
    EXPECT_EQ(second.failed, 0u);
    EXPECT_EQ(second.articles_new, 0u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 6);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 4);
    EXPECT_EQ(db.scalar("SELECT sum(items_new) FROM fetch_log"), 6);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM feeds WHERE last_http_status = 200 "
                        "AND consecutive_failures = 0 AND next_poll_at > now()"),
              2);
}

// `poll --once` stores as the daemon does: on the pipeline's writer connections while the fetch
// loop goes on, not on its one connection inside the loop. One transfer at a time, and the first
// feed's row locked as it is served: its poll waits to be stored, and the second feed is fetched
// all the same.
TEST_F(PollOnce, FetchingGoesOnWhileAPollWaitsToBeStored) {
    auto feed = [](const std::string& guid) {
        return "<rss version=\"2.0\"><channel><title>Wire</title><item><guid>" + guid +
               "</guid><title>Envoys arrive in Baku</title></item></channel></rss>";
    };
    auto config =
        configure({{"First", server.url("/first"), ""}, {"Second", server.url("/second"), ""}});
    config.http.concurrency = 1;
    service::Pipeline pipeline(config);
    auto store = pipeline.open_store();
    pqxx::connection locker{db.url()};
    pqxx::work lock{locker};
    std::promise<void> release;
    std::atomic<long long> stored_before_second{-1};
    auto first = server.serve("/first", [&](const httplib::Request&) {
        // After the feeds are claimed, which updates their rows too.
        lock.exec("SELECT 1 FROM feeds WHERE url = " + lock.quote(server.url("/first")) +
                  " FOR UPDATE");
        return Response{200, feed("f1"), "application/rss+xml", {}};
    });
    auto second = server.serve("/second", [&](const httplib::Request&) {
        if (stored_before_second.exchange(db.scalar("SELECT count(*) FROM articles")) == -1)
            release.set_value();
        return Response{200, feed("s1"), "application/rss+xml", {}};
    });
    // Never held past 5 s: a poll stored in the fetch loop waits for it before the second fetch.
    std::thread holder([&] {
        release.get_future().wait_for(std::chrono::seconds{5});
        lock.commit();
    });

    auto report = service::poll_once(pipeline, *store, "test").feeds;
    holder.join();

    EXPECT_EQ(stored_before_second.load(), 0); // fetched while the first poll waited
    EXPECT_EQ(report.articles_new, 2u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 2);
}

TEST_F(PollOnce, StoresTheFieldsAnAnalystReads) {
    auto wire = server.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    poll(configure({{"Wire", server.url("/rss.php"), ""}}));
    EXPECT_EQ(db.text("SELECT title || ' | ' || url || ' | ' || "
                      "to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
                      "FROM articles WHERE guid LIKE '%1001.html'"),
              "Foreign minister meets alliance envoys in Baku | "
              "https://wire.example.test/news/politics/1001.html | 2025-11-07 06:10");
    EXPECT_EQ(db.text("SELECT site_url FROM feeds"), "https://wire.example.test/");
}

// The words search reads and the signature stories compare are made beside tagging and stored
// with every new article.
TEST_F(PollOnce, EveryArticleGetsItsWordsAndStorySignature) {
    auto wire = server.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    poll(configure({{"Wire", server.url("/rss.php"), ""}}));
    long long articles = db.scalar("SELECT count(*) FROM articles");
    EXPECT_GT(articles, 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE words IS NULL"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures"), articles);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid LIKE '%1001.html' "
                        "AND words @@ 'baku & envoys'::tsquery"),
              1);
}

TEST_F(PollOnce, ConditionalGetMakesTheSecondPollA304) {
    auto endpoint = server.serve("/feed", [](const httplib::Request& request) {
        if (request.get_header_value("If-None-Match") == "\"abc\"")
            return Response{304, "", "", {{"ETag", "\"abc\""}}};
        return Response{200,
                        testkit::read_fixture("feeds/rss20/items_without_guid.xml"),
                        "application/rss+xml",
                        {{"ETag", "\"abc\""}}};
    });
    auto config = configure({{"Agency", server.url("/feed"), ""}});
    poll(config);
    auto second = poll(config);
    EXPECT_EQ(second.not_modified, 1u);
    EXPECT_EQ(second.failed, 0u);
    auto requests = server.requests_to("/feed");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].find("If-None-Match")->second, "\"abc\"");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log WHERE http_status = 304"), 1);
    EXPECT_EQ(db.text("SELECT etag FROM feeds"), "\"abc\"");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
}

TEST_F(PollOnce, AFailingFeedIsRecordedAndTheOthersStillStored) {
    auto good = server.serve_file("/good", "feeds/rss20/items_without_guid.xml");
    auto broken = server.serve("/broken", [](const httplib::Request&) {
        return Response{500, "oops", "text/plain", {}};
    });
    auto html = server.serve_file("/page", "feeds/html_page.html", "text/html");
    auto report = poll(configure({{"Good", server.url("/good"), ""},
                                  {"Broken", server.url("/broken"), ""},
                                  {"Page", server.url("/page"), ""}}));
    EXPECT_EQ(report.failed, 2u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
    EXPECT_EQ(db.text("SELECT last_error FROM feeds WHERE name = 'Broken'"), "HTTP status 500");
    EXPECT_EQ(db.scalar("SELECT consecutive_failures FROM feeds WHERE name = 'Broken'"), 1);
    EXPECT_EQ(db.text("SELECT last_error FROM feeds WHERE name = 'Page'"),
              "not a usable feed: an HTML page, not a feed");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log WHERE error IS NOT NULL"), 2);
}

TEST_F(PollOnce, AFeedRemovedFromTheConfigIsDisabledNotDeleted) {
    auto a = server.serve_file("/a", "feeds/rss20/items_without_guid.xml");
    auto b = server.serve_file("/b", "feeds/rss20/same_guid_every_item.xml");
    poll(configure({{"A", server.url("/a"), ""}, {"B", server.url("/b"), ""}}));
    auto report = poll(configure({{"A", server.url("/a"), ""}}));
    EXPECT_EQ(report.feeds, 1u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM feeds"), 2);
    EXPECT_EQ(db.text("SELECT enabled::text FROM feeds WHERE name = 'B'"), "false");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id "
                        "WHERE f.name = 'B'"),
              2);
    EXPECT_EQ(server.request_count("/b"), 1);
}

TEST_F(PollOnce, CommandExitsZeroWhenAllStoredAndOneOtherwise) {
    auto good = server.serve_file("/good", "feeds/rss20/all_sections_one_feed.xml");
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-poll-" + std::to_string(getpid()) + ".toml");
    auto write_config = [&](const std::vector<FeedSpec>& feeds) {
        std::ofstream(path) << config_text(db.url(), feeds);
    };
    write_config({{"Good", server.url("/good"), ""}});
    EXPECT_EQ(cli::command_poll_once({path.string(), "warn"}), cli::k_exit_ok);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 5);

    write_config({{"Good", server.url("/good"), ""}, {"Gone", server.url("/missing"), ""}});
    EXPECT_EQ(cli::command_poll_once({path.string(), "warn"}), cli::k_exit_failure);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 5);
    EXPECT_EQ(db.text("SELECT last_error FROM feeds WHERE name = 'Gone'"), "HTTP status 404");
    std::filesystem::remove(path);
}

TEST_F(PollOnce, AFeedsUserAgentOverridesTheGlobalOne) {
    auto a = server.serve_file("/a", "feeds/rss20/items_without_guid.xml");
    auto b = server.serve_file("/b", "feeds/rss20/same_guid_every_item.xml");
    poll(configure({{"A", server.url("/a"), "user_agent = \"Mozilla/5.0 (browser-like)\""},
                    {"B", server.url("/b"), ""}}));
    ASSERT_EQ(server.requests_to("/a").size(), 1u);
    EXPECT_EQ(server.requests_to("/a")[0].find("User-Agent")->second, "Mozilla/5.0 (browser-like)");
    EXPECT_TRUE(server.requests_to("/b")[0].find("User-Agent")->second.starts_with("newsmon/"));
}

TEST_F(PollOnce, ArticlesAreTaggedWithTheConfiguredTopicsAsTheyAreStored) {
    auto wire = server.serve_file("/rss.php", "feeds/rss20/all_sections_one_feed.xml");
    auto loaded =
        config::load_config_text(config_text(db.url(), {{"Wire", server.url("/rss.php"), ""}}) +
                                     "[[topic]]\nname = \"azerbaijan\"\n"
                                     "terms = [\"Baku\", \"Caspian\"]\n"
                                     "[[topic]]\nname = \"defence\"\n"
                                     "terms = [\"defence\", \"army\"]\nmin_score = 2\n",
                                 "test.toml");
    ASSERT_TRUE(loaded.config);
    poll(*loaded.config);
    EXPECT_EQ(db.text("SELECT string_agg(a.guid || '=' || t.topic || ':' || t.score, ' ' "
                      "ORDER BY a.guid, t.topic) FROM article_topics t "
                      "JOIN articles a ON a.id = t.article_id"),
              "https://wire.example.test/news/business/1002.html=azerbaijan:3 "
              "https://wire.example.test/news/politics/1001.html=azerbaijan:3 "
              "https://wire.example.test/news/politics/1003.html=defence:4");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topics"), 2);
}

// The command as users run it, a process of its own: an alert rule added with `alert add`, then
// `poll --once` stores the feed, fetches the teaser's page, and sends what the page matched.
TEST_F(PollOnce, TheBinaryStoresTheFeedFetchesItsPagesAndSendsTheirAlerts) {
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    std::string xml = "<rss version=\"2.0\"><channel><title>Teasers</title><link>" +
                      server.url("/") + "</link><item><guid>t1</guid><title>Envoys arrive in " +
                      "Baku</title><link>" + server.url("/news/1") +
                      "</link><description>Envoys arrived on Tuesday for talks...</description>" +
                      "</item></channel></rss>";
    auto feed = server.serve("/feed", [xml](const httplib::Request&) {
        return Response{200, xml, "application/rss+xml", {}};
    });
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-poll-binary-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path) << config_text(db.url(), {{"Teasers", server.url("/feed"), ""}});
    auto newsmon = [&](const std::string& arguments) {
        std::string command = std::string(NEWSMON_BINARY) + " --config " + path.string() +
                              " --log-level error " + arguments + " >/dev/null";
        int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };

    ASSERT_EQ(newsmon("migrate"), 0);
    ASSERT_EQ(newsmon("alert add council --query '\"North Atlantic Council\"' --notify"), 0);
    EXPECT_EQ(newsmon("poll --once"), 0);

    EXPECT_EQ(db.text("SELECT page_status FROM articles WHERE guid = 't1'"), "done");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 't1' AND content_text LIKE "
                        "'%permanent representatives to the North Atlantic Council%'"),
              1);
    EXPECT_EQ(db.text("SELECT string_agg(status, ',') FROM alert_log WHERE rule = 'council'"),
              "sent");
    std::filesystem::remove(path);
}

TEST_F(PollOnce, TheLanguageOfEachArticleIsDetectedWhenTheFeedDeclaresNoneAndChoosesTheStemmer) {
    auto item = [](const std::string& guid, const std::string& title, const std::string& text) {
        return "<item><guid>" + guid + "</guid><title>" + title + "</title><description>" + text +
               "</description></item>";
    };
    std::string items =
        item("az1", "Şimali Atlantika Şurasının iclası keçirilib",
             "İclasda təhlükəsizlik məsələləri müzakirə olunub və bəyanat qəbul edilib.") +
        item("ru1", "Заседание Североатлантического совета",
             "Послы обсудили поставки систем противовоздушной обороны.");
    auto mixed = server.serve("/mixed.xml", [&](const httplib::Request&) {
        Response response;
        response.body =
            "<rss version=\"2.0\"><channel><title>M</title>" + items + "</channel></rss>";
        return response;
    });
    auto declared = server.serve("/declared.xml", [&](const httplib::Request&) {
        Response response;
        response.body = "<rss version=\"2.0\"><channel><title>D</title><language>ru</language>" +
                        item("d1", "Бакинские новости", "Новости дня из Баку.") +
                        "</channel></rss>";
        return response;
    });
    auto loaded = config::load_config_text(
        config_text(db.url(), {{"Mixed", server.url("/mixed.xml"), ""},
                               {"Declared", server.url("/declared.xml"), ""}}) +
            "[[topic]]\nname = \"nato\"\n"
            "terms = [\"Şimali Atlantika Şurası\", \"Североатлантический совет\"]\n",
        "test.toml");
    ASSERT_TRUE(loaded.config);
    poll(*loaded.config);
    EXPECT_EQ(db.text("SELECT string_agg(guid || '=' || language || ':' || language_detected, ' ' "
                      "ORDER BY guid) FROM articles"),
              "az1=az:true d1=ru:false ru1=ru:true");
    EXPECT_EQ(db.text("SELECT string_agg(a.guid, ' ' ORDER BY a.guid) FROM article_topics t "
                      "JOIN articles a ON a.id = t.article_id"),
              "az1 ru1");
}

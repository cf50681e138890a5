// Full text from article pages: a feed of teasers on the test HTTP server, its pages served
// from tests/fixtures/articles, polled and fetched through the daemon's own path.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "alerts/rule_store.hpp"
#include "cli/commands.hpp"
#include "http_test_server.hpp"
#include "service/pipeline.hpp"
#include "store/migrations.hpp"
#include "test_database.hpp"

using namespace newsmon;
using testkit::HttpTestServer;
using testkit::Response;
using testkit::TestDatabase;

namespace {

struct TeaserItem {
    std::string guid;
    std::string title;
    std::string teaser;
    std::string page_path;
    std::string date = "Tue, 14 Oct 2025 12:00:00 GMT"; // empty: no date in the feed
};

class Pages : public ::testing::Test {
protected:
    Pages() {
        config.database.url = db.url();
        config.http.block_private = false;
        config.feeds = {{"Teasers", server.url("/feed"), {}, {}, {}, {}, {}, {}, {}, {}}};
        config.topics = {
            {"nato", "", {"NATO", "North Atlantic", "НАТО", "Североатлантическ*"}, {}, 1}};
        store::migrate(store.connection());
        store.sync_feeds(config);
        store.sync_topics(config);
        store.use_alert_rules(&rules);
    }

    void publish(const std::vector<TeaserItem>& items) {
        std::string xml = "<rss version=\"2.0\"><channel><title>Teasers</title><link>" +
                          server.url("/") + "</link>";
        for (const auto& item : items) {
            xml += "<item><guid>" + item.guid + "</guid><title>" + item.title + "</title><link>" +
                   server.url(item.page_path) + "</link><description>" + item.teaser +
                   "</description>";
            if (!item.date.empty())
                xml += "<pubDate>" + item.date + "</pubDate>";
            xml += "</item>";
        }
        feed.set(xml + "</channel></rss>");
    }

    // `poll --once`: the feed, then every due page.
    service::PageReport poll_once() {
        service::Pipeline pipeline(config);
        return service::poll_once(pipeline, store, "test").pages;
    }
    void poll_feed() {
        service::Pipeline pipeline(config);
        pipeline.poll_cycle(store).run(
            store.claim_feeds("test", std::chrono::minutes{5}, 10, false));
    }
    service::PageReport fetch_pages() {
        service::Pipeline pipeline(config);
        return pipeline.page_cycle(store).run(50);
    }

    std::string column(const std::string& guid, const std::string& expression) {
        return db.article_column(guid, expression);
    }

    TestDatabase db;
    HttpTestServer server;
    config::Config config;
    store::Store store{db.url()};
    rules::LiveRules rules;
    testkit::ChangingBody feed{server, "/feed", "application/rss+xml"};
};

TEST_F(Pages, ATeaserGetsThePagesTextAndIsTaggedAndAlertedThen) {
    db.execute("INSERT INTO alert_rules (name, query, channels) VALUES ('council', "
               "'\"North Atlantic Council\"', '{\"notify\": true}')");
    rules.replace(alerts::load_rules(store.connection()).rules);
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    publish({{"t1", "Envoys arrive in Baku", "Envoys arrived on Tuesday for talks...", "/news/1"}});
    auto report = poll_once();
    EXPECT_EQ(report.stored, 1U);
    EXPECT_EQ(column("t1", "page_status"), "done");
    EXPECT_NE(column("t1", "content_text")
                  .find("permanent representatives to the North Atlantic "
                        "Council"),
              std::string::npos);
    EXPECT_EQ(column("t1", "content_text").find("Latest news"), std::string::npos);
    EXPECT_EQ(column("t1", "canonical_url"),
              "https://herald.example.test/en/politics/baku-hosts-alliance-envoys");
    EXPECT_EQ(column("t1", "lead_image"), server.url("/images/2025/11/envoys-baku.jpg"));
    // The teaser had no term of the topic; the page does.
    EXPECT_EQ(db.text("SELECT string_agg(topic, ',') FROM article_topics"), "nato");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_deliveries"), 1);
    // Fetched again (the feed item changed), the page alerts no second time.
    publish(
        {{"t1", "Envoys arrive in Baku", "Envoys arrived on Tuesday for the talks...", "/news/1"}});
    poll_once();
    EXPECT_EQ(server.request_count("/news/1"), 2);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_deliveries"), 1);
}

TEST_F(Pages, AWindows1251PageComesOutRightAndFillsWhatTheFeedLacked) {
    auto page = server.serve_file("/news/ru", "articles/russian_windows1251.html", "text/html");
    publish({{"ru", "Азербайджан и НАТО", "Стороны обсудили…", "/news/ru", ""}});
    poll_once();
    EXPECT_NE(column("ru", "content_text").find("Министерства обороны Азербайджана"),
              std::string::npos);
    EXPECT_EQ(column("ru", "author"), "Анна Соколова");
    EXPECT_EQ(column("ru", "language"), "ru");
    // The feed gave no date; the page's article:published_time replaces the guess.
    EXPECT_EQ(column("ru", "published_at AT TIME ZONE 'UTC'"), "2025-11-07 06:10:00");
    EXPECT_EQ(column("ru", "published_guessed"), "false");
}

TEST_F(Pages, AFailingPageKeepsTheFeedTextAndIsRetriedABoundedNumberOfTimes) {
    auto broken = server.serve("/news/500", [](const httplib::Request&) {
        return Response{500, "", "text/plain", {}};
    });
    publish({{"f1", "NATO statement", "The alliance said on Monday...", "/news/500"}});
    auto first = poll_once();
    EXPECT_EQ(first.failed, 1U);
    EXPECT_EQ(column("f1", "page_status"), "pending");
    EXPECT_EQ(column("f1", "page_error"), "HTTP status 500");
    EXPECT_EQ(column("f1", "summary"), "The alliance said on Monday...");
    EXPECT_EQ(db.text("SELECT string_agg(topic, ',') FROM article_topics"), "nato");
    EXPECT_EQ(fetch_pages().claimed, 0U); // not before its retry time
    for (int attempt = 2; attempt <= service::PageCycle::k_max_attempts; ++attempt) {
        db.execute("UPDATE articles SET page_next_at = now()");
        fetch_pages();
    }
    EXPECT_EQ(column("f1", "page_status"), "failed");
    EXPECT_EQ(column("f1", "page_attempts"), std::to_string(service::PageCycle::k_max_attempts));
    EXPECT_EQ(server.request_count("/news/500"), service::PageCycle::k_max_attempts);
}

TEST_F(Pages, APageOutOfAttemptsIsNeverClaimedAgain) {
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    publish({{"x1", "Envoys arrive in Baku", "Envoys arrived on Tuesday for talks...", "/news/1"}});
    poll_feed();
    constexpr int k_max = service::PageCycle::k_max_attempts;
    // Its last attempt was claimed and is not finished yet (its lease runs): left alone.
    db.execute("UPDATE articles SET page_attempts = " + std::to_string(k_max) +
               ", page_next_at = now() + interval '1 minute'");
    EXPECT_EQ(fetch_pages().claimed, 0U);
    EXPECT_EQ(column("x1", "page_status"), "pending");
    // The lease ran out and the page was never stored: the process died on it. It is given up,
    // and never fetched again.
    db.execute("UPDATE articles SET page_next_at = now()");
    auto report = fetch_pages();
    EXPECT_EQ(report.claimed, 0U);
    EXPECT_EQ(report.failed, 1U);
    EXPECT_EQ(column("x1", "page_status"), "failed");
    EXPECT_EQ(column("x1", "page_attempts"), std::to_string(k_max));
    EXPECT_EQ(column("x1", "page_error"),
              "out of attempts: 4 made, the last never finished (the process stopped while on "
              "this page)");
    db.execute("UPDATE articles SET page_next_at = now()");
    EXPECT_EQ(fetch_pages().claimed, 0U);
    EXPECT_EQ(server.request_count("/news/1"), 0);
}

TEST_F(Pages, AClaimLeftUnfinishedCountsAsAnAttempt) {
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    publish({{"u1", "Envoys arrive in Baku", "Envoys arrived on Tuesday for talks...", "/news/1"}});
    poll_feed();
    constexpr int k_max = service::PageCycle::k_max_attempts;
    // Each time the page is claimed and the process dies before it stores anything; after the
    // lease the page is claimed again, with one attempt fewer left.
    for (int attempt = 1; attempt <= k_max; ++attempt) {
        auto jobs = store::claim_pages(store.connection(), 10, std::chrono::milliseconds{0}, k_max);
        ASSERT_EQ(jobs.size(), 1U) << "attempt " << attempt;
        EXPECT_EQ(jobs[0].attempts, attempt);
    }
    EXPECT_TRUE(
        store::claim_pages(store.connection(), 10, std::chrono::milliseconds{0}, k_max).empty());
    auto report = fetch_pages();
    EXPECT_EQ(report.claimed, 0U);
    EXPECT_EQ(column("u1", "page_status"), "failed");
    EXPECT_NE(column("u1", "page_error").find("the last never finished"), std::string::npos);
    EXPECT_EQ(server.request_count("/news/1"), 0);
    // The article keeps its feed text.
    EXPECT_EQ(column("u1", "summary"), "Envoys arrived on Tuesday for talks...");
}

TEST_F(Pages, APageNestedTooDeepFailsWithItsReason) {
    std::string deep = "<html><body><h1>Budget</h1>";
    for (int i = 0; i < 20'000; ++i)
        deep += i % 3 == 0 ? "<div>" : i % 3 == 1 ? "<span>" : "<b>";
    auto page = server.serve("/news/deep", [&](const httplib::Request&) {
        return Response{200, deep, "text/html", {}};
    });
    publish({{"d1", "NATO budget", "The alliance said on Monday...", "/news/deep"}});
    auto report = poll_once();
    EXPECT_EQ(report.failed, 1U);
    EXPECT_EQ(column("d1", "page_status"), "pending");
    EXPECT_EQ(column("d1", "page_error"),
              "elements nest deeper than the limit of 256 levels; the page is not parsed");
    EXPECT_EQ(column("d1", "summary"), "The alliance said on Monday...");
}

TEST_F(Pages, APageFetchedAgainIsAskedForConditionally) {
    int served = 0;
    auto page = server.serve("/news/etag", [&](const httplib::Request& request) {
        ++served;
        if (request.get_header_value("If-None-Match") == "\"v1\"")
            return Response{304, "", "text/html", {}};
        Response response{200, testkit::read_fixture("articles/amp_page.html"), "text/html", {}};
        response.headers.emplace("ETag", "\"v1\"");
        return response;
    });
    publish({{"e1", "Drills", "Units held exercises...", "/news/etag"}});
    poll_once();
    EXPECT_EQ(column("e1", "page_etag"), "\"v1\"");
    publish({{"e1", "Drills", "Units held three days of exercises...", "/news/etag"}});
    auto again = poll_once();
    EXPECT_EQ(again.unchanged, 1U);
    EXPECT_EQ(served, 2);
    EXPECT_EQ(column("e1", "page_status"), "done");
    EXPECT_NE(column("e1", "content_text").find("Absheron peninsula"), std::string::npos);
}

TEST_F(Pages, TheFullTextSettingDecidesWhichPagesAreFetched) {
    auto page = server.serve_file("/news/p", "articles/amp_page.html", "text/html");
    std::string long_text(600, 'x');
    long_text = "A long item text. " + long_text;
    config.feeds[0].full_text = "never";
    publish({{"n1", "Short", "A teaser...", "/news/p"}});
    poll_once();
    EXPECT_EQ(column("n1", "page_status"), "");
    config.feeds[0].full_text = "auto";
    // The setting applies to items as they are stored: new ones, and changed ones.
    publish({{"n1", "Short", "A new teaser...", "/news/p"}, {"a1", "Long", long_text, "/news/p"}});
    poll_once();
    EXPECT_EQ(column("n1", "page_status"), "done");
    EXPECT_EQ(column("a1", "page_status"), ""); // long enough
    config.feeds[0].full_text = "always";
    publish({{"w1", "Long again", long_text, "/news/p"}});
    poll_once();
    EXPECT_EQ(column("w1", "page_status"), "done");
}

TEST_F(Pages, ExtractFetchesAUrlAndPrintsWhatItRead) {
    auto page = server.serve_file("/news/az", "articles/azerbaijani_time_tag.html", "text/html");
    cli::ExtractCommand command;
    command.input = server.url("/news/az");
    command.json = true;
    ::testing::internal::CaptureStdout();
    int status = cli::command_extract({"/nonexistent/newsmon.toml", std::nullopt}, command);
    std::string printed = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(status, 2); // an explicit config that does not exist is an error
    auto config_path = std::filesystem::temp_directory_path() /
                       ("newsmon-extract-" + std::to_string(getpid()) + ".toml");
    std::ofstream(config_path) << "[http]\nblock_private = false\n";
    cli::GlobalOptions options{config_path.string(), std::nullopt};
    ::testing::internal::CaptureStdout();
    status = cli::command_extract(options, command);
    printed = ::testing::internal::GetCapturedStdout();
    ASSERT_EQ(status, 0) << printed;
    EXPECT_NE(printed.find("\"published\": \"2025-11-06T11:20:00Z\""), std::string::npos);
    EXPECT_NE(printed.find("Şimali Atlantika Şurasının"), std::string::npos);
    command.input = server.url("/news/missing");
    EXPECT_EQ(cli::command_extract(options, command), 1);
    std::filesystem::remove(config_path);
}

} // namespace

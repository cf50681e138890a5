// The daemon's scheduling against a real HTTP server and database: what it asks of the server,
// and when each feed is due next.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "config/config.hpp"
#include "http_test_server.hpp"
#include "service/pipeline.hpp"
#include "store/migrations.hpp"
#include "test_database.hpp"

using namespace newsmon;
using testkit::HttpTestServer;
using testkit::Response;

namespace {

class Scheduling : public ::testing::Test {
protected:
    config::Config configure(const std::string& feeds_toml, const std::string& defaults = "") {
        std::string text = "[database]\nurl = \"" + db.url() +
                           "\"\n[http]\nblock_private = false\ntimeout = \"10s\"\n[defaults]\n" +
                           defaults + "\n" + feeds_toml;
        auto loaded = config::load_config_text(text, "test.toml");
        EXPECT_TRUE(loaded.config);
        return loaded.config ? *loaded.config : config::Config{};
    }
    std::string feed(const std::string& path, const std::string& extra = "") {
        return "[[feed]]\nname = \"F" + path + "\"\nurl = \"" + server.url(path) + "\"\n" + extra +
               "\n";
    }
    // Polls every enabled feed now, whatever its schedule.
    service::CycleReport poll(const config::Config& config) {
        service::Pipeline pipeline(config);
        auto prepared = pipeline.open_store();
        return pipeline.poll_cycle(*prepared).run(
            prepared->claim_feeds("test", std::chrono::minutes{5}, 1000, false));
    }
    // Seconds until the feed is due again.
    long long due_in(const std::string& path) {
        return db.scalar("SELECT EXTRACT(EPOCH FROM next_poll_at - now())::bigint FROM feeds "
                         "WHERE url = '" +
                         server.url(path) + "'");
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    HttpTestServer server;
};

Response feed_body(const std::string& fixture,
                   std::multimap<std::string, std::string> headers = {}) {
    return Response{200, testkit::read_fixture(fixture), "application/rss+xml", std::move(headers)};
}

} // namespace

TEST_F(Scheduling, RetryAfterIsHonouredAfter503) {
    auto busy = server.serve("/busy", [](const httplib::Request&) {
        return Response{503, "later", "text/plain", {{"Retry-After", "3600"}}};
    });
    auto report = poll(configure(feed("/busy", "interval = \"1m\"")));
    EXPECT_EQ(report.failed, 1u);
    EXPECT_GE(due_in("/busy"), 3590);
    EXPECT_TRUE(store.claim_feeds("other", std::chrono::minutes{5}, 10).empty()); // not due
}

TEST_F(Scheduling, FailuresBackOffExponentiallyAndSuccessResets) {
    bool fail = true;
    auto flaky = server.serve("/flaky", [&](const httplib::Request&) {
        return fail ? Response{500, "oops", "text/plain", {}}
                    : feed_body("feeds/rss20/items_without_guid.xml");
    });
    auto config = configure(feed("/flaky", "interval = \"100s\""));
    poll(config);
    EXPECT_NEAR(static_cast<double>(due_in("/flaky")), 100, 11);
    poll(config);
    EXPECT_NEAR(static_cast<double>(due_in("/flaky")), 200, 21);
    poll(config);
    EXPECT_NEAR(static_cast<double>(due_in("/flaky")), 400, 41);
    EXPECT_EQ(db.scalar("SELECT consecutive_failures FROM feeds"), 3);
    fail = false;
    poll(config);
    EXPECT_NEAR(static_cast<double>(due_in("/flaky")), 100, 11);
    EXPECT_EQ(db.scalar("SELECT consecutive_failures FROM feeds"), 0);
}

TEST_F(Scheduling, BackoffIsCapped) {
    auto broken = server.serve("/broken", [](const httplib::Request&) {
        return Response{500, "oops", "text/plain", {}};
    });
    auto config = configure(feed("/broken", "interval = \"1h\""), "max_backoff = \"3h\"");
    for (int i = 0; i < 5; ++i)
        poll(config);
    EXPECT_LE(due_in("/broken"), 3 * 3600 + 1);          // never past the cap
    EXPECT_GE(due_in("/broken"), 3 * 3600 * 9 / 10 - 1); // jitter may take up to 10% off
}

TEST_F(Scheduling, MaxAgeAndTtlAreFloors) {
    auto cached = server.serve("/cached", [](const httplib::Request&) {
        return feed_body("feeds/rss20/items_without_guid.xml", {{"Cache-Control", "max-age=7200"}});
    });
    auto ttl = server.serve_file("/ttl", "feeds/rss20/all_sections_one_feed.xml"); // <ttl>15</ttl>
    poll(configure(feed("/cached", "interval = \"1m\"") + feed("/ttl", "interval = \"1m\"")));
    EXPECT_GE(due_in("/cached"), 7190);
    EXPECT_GE(due_in("/ttl"), 15 * 60 - 10);
    EXPECT_LE(due_in("/ttl"), 15 * 60 + 5);
}

TEST_F(Scheduling, TheSameBytesAgainAreNotParsedOrWritten) {
    std::string body = testkit::read_fixture("feeds/rss20/items_without_guid.xml");
    auto same = server.serve("/same", [&](const httplib::Request&) {
        return Response{200, body, "application/rss+xml", {}}; // no validators at all
    });
    auto config = configure(feed("/same"));
    poll(config);
    auto second = poll(config);
    EXPECT_EQ(second.not_modified, 1u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log WHERE items_seen = 0 AND error IS NULL"),
              1);
    body.replace(body.find("Second story"), 12, "Second story, updated");
    auto third = poll(config);
    EXPECT_EQ(third.not_modified, 0u);
    EXPECT_EQ(third.articles_updated, 1u);
}

TEST_F(Scheduling, PermanentRedirectsMoveTheFeedTemporaryOnesDoNot) {
    auto old_place = server.serve("/old", [&](const httplib::Request&) {
        return Response{301, "", "text/plain", {{"Location", server.url("/new")}}};
    });
    auto new_place = server.serve_file("/new", "feeds/rss20/items_without_guid.xml");
    auto temporary = server.serve("/temp", [&](const httplib::Request&) {
        return Response{302, "", "text/plain", {{"Location", server.url("/new")}}};
    });
    auto config = configure(feed("/old") + feed("/temp"));
    poll(config);
    EXPECT_EQ(db.text("SELECT fetch_url FROM feeds WHERE url LIKE '%/old'"), server.url("/new"));
    EXPECT_EQ(db.text("SELECT coalesce(fetch_url, 'none') FROM feeds WHERE url LIKE '%/temp'"),
              "none");
    poll(config);
    EXPECT_EQ(server.request_count("/old"), 1);  // the moved feed is polled at its new place
    EXPECT_EQ(server.request_count("/temp"), 2); // the temporary one keeps its URL
}

TEST_F(Scheduling, AnHtmlPageThatAdvertisesItsFeedIsFollowed) {
    auto page = server.serve("/home", [&](const httplib::Request&) {
        return Response{
            200,
            "<!DOCTYPE html><html><head><link rel=\"alternate\" "
            "type=\"application/rss+xml\" href=\"/feed.xml\"></head><body></body></html>",
            "text/html",
            {}};
    });
    auto real = server.serve_file("/feed.xml", "feeds/rss20/items_without_guid.xml");
    auto config = configure(feed("/home"));
    auto first = poll(config); // the page, then its feed, in one poll
    EXPECT_EQ(first.failed, 0u);
    EXPECT_EQ(db.text("SELECT fetch_url FROM feeds"), server.url("/feed.xml"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
    EXPECT_GT(due_in("/home"), 60); // polled again after the normal interval, not at once
    EXPECT_EQ(server.request_count("/home"), 1);
    EXPECT_EQ(server.request_count("/feed.xml"), 1);
}

namespace {

Response page_advertising(const std::string& feed_url) {
    return Response{200,
                    "<!DOCTYPE html><html><head><link rel=\"alternate\" "
                    "type=\"application/rss+xml\" href=\"" +
                        feed_url + "\"></head><body></body></html>",
                    "text/html",
                    {}};
}

} // namespace

TEST_F(Scheduling, PagesThatAdvertiseEachOtherEndThePollWithAnError) {
    auto a = server.serve(
        "/a", [&](const httplib::Request&) { return page_advertising(server.url("/b")); });
    auto b = server.serve(
        "/b", [&](const httplib::Request&) { return page_advertising(server.url("/a")); });
    auto config = configure(feed("/a"));
    auto first = poll(config);
    EXPECT_EQ(first.failed, 1u);
    EXPECT_EQ(server.request_count("/a"), 1);
    EXPECT_EQ(server.request_count("/b"), 1);
    EXPECT_EQ(db.text("SELECT coalesce(fetch_url, 'none') FROM feeds"), "none");
    EXPECT_GT(due_in("/a"), 60);
    EXPECT_NE(db.text("SELECT error FROM fetch_log").find("advertise each other"),
              std::string::npos);
    auto second = poll(config); // the same again: never taken for an unchanged feed
    EXPECT_EQ(second.failed, 1u);
    EXPECT_EQ(db.text("SELECT coalesce(fetch_url, 'none') FROM feeds"), "none");
}

TEST_F(Scheduling, DiscoveryStopsAfterTwoAdvertisedPages) {
    std::vector<HttpTestServer::Endpoint> pages;
    for (int i = 0; i < 5; ++i)
        pages.push_back(server.serve("/p" + std::to_string(i), [&, i](const httplib::Request&) {
            return page_advertising(server.url("/p" + std::to_string(i + 1)));
        }));
    auto first = poll(configure(feed("/p0")));
    EXPECT_EQ(first.failed, 1u);
    EXPECT_EQ(server.request_count("/p0") + server.request_count("/p1") +
                  server.request_count("/p2") + server.request_count("/p3"),
              3);
    EXPECT_NE(db.text("SELECT error FROM fetch_log").find("no feed within 2"), std::string::npos);
}

TEST_F(Scheduling, AutoIntervalFollowsHowOftenTheFeedPublishes) {
    // Three items ten minutes apart: polled about every five minutes, within the bounds.
    auto wire = server.serve("/wire", [](const httplib::Request&) {
        std::string items;
        for (int i = 0; i < 6; ++i)
            items += "<item><title>Flash " + std::to_string(i) + "</title><link>https://w.test/" +
                     std::to_string(i) +
                     "</link><pubDate>Fri, 07 Nov 2025 10:" + std::to_string(50 - 10 * i) +
                     ":00 GMT</pubDate></item>";
        return Response{200,
                        "<rss version=\"2.0\"><channel><title>W</title>" + items +
                            "</channel></rss>",
                        "application/rss+xml",
                        {}};
    });
    poll(configure(feed("/wire", "interval = \"auto\""), "min_interval = \"2m\""));
    EXPECT_NEAR(static_cast<double>(due_in("/wire")), 300, 31);
}

TEST_F(Scheduling, InstancesNeverClaimTheSameFeedAndTakeOverExpiredLeases) {
    std::string feeds;
    for (int i = 0; i < 40; ++i)
        feeds += feed("/f" + std::to_string(i));
    auto config = configure(feeds);
    store::migrate(store.connection());
    store.sync_feeds(config);
    store::Store a{db.url()}, b{db.url()};
    std::vector<store::FeedRow> claimed_a, claimed_b;
    std::thread first([&] { claimed_a = a.claim_feeds("a", std::chrono::minutes{5}, 25); });
    std::thread second([&] { claimed_b = b.claim_feeds("b", std::chrono::minutes{5}, 25); });
    first.join();
    second.join();
    std::set<std::int64_t> ids;
    for (const auto* claimed : {&claimed_a, &claimed_b})
        for (const auto& row : *claimed)
            EXPECT_TRUE(ids.insert(row.id).second) << "feed " << row.id << " claimed twice";
    EXPECT_EQ(ids.size(), 40u);
    EXPECT_TRUE(a.claim_feeds("a", std::chrono::minutes{5}, 25).empty());

    // An instance that died leaves its leases; once they run out, others take its feeds.
    store::Store c{db.url()};
    pqxx::connection admin{db.url()};
    {
        pqxx::work tx{admin};
        tx.exec0(
            "UPDATE feeds SET lease_until = now() - interval '1 second' WHERE lease_owner = 'b'");
        tx.commit();
    }
    EXPECT_EQ(c.claim_feeds("c", std::chrono::minutes{5}, 100).size(), claimed_b.size());
}

TEST_F(Scheduling, AFeedThatAnswersButHasGoneQuietIsFlaggedSilent) {
    auto quiet = server.serve_file("/quiet", "feeds/rss20/items_without_guid.xml");
    auto lively = server.serve_file("/lively", "feeds/rss20/same_guid_every_item.xml");
    poll(configure(feed("/quiet") + feed("/lively")));
    // Its articles came an hour apart, and the newest one three days ago.
    pqxx::connection admin{db.url()};
    {
        pqxx::work tx{admin};
        tx.exec0("UPDATE articles SET first_seen_at = now() - interval '3 days', "
                 "published_at = now() - interval '3 days' - id * interval '1 hour' "
                 "WHERE feed_id = (SELECT id FROM feeds WHERE url LIKE '%/quiet')");
        tx.commit();
    }
    EXPECT_EQ(
        db.text("SELECT string_agg(feed || '=' || silent, ' ' ORDER BY feed) FROM feed_health"),
        "F/lively=false F/quiet=true");
    EXPECT_EQ(store.feed_counts().silent, 1);
}

// A feed whose poll kills the process would otherwise do it again after every restart.
TEST_F(Scheduling, AFeedClaimedThreeTimesWithoutAnOutcomeIsHeld) {
    auto endpoint = server.serve_file("/f", "feeds/rss20/items_without_guid.xml");
    auto config = configure(feed("/f"));
    store::migrate(store.connection());
    store.sync_feeds(config);
    for (int crash = 0; crash < store::Store::k_max_poll_attempts; ++crash) {
        ASSERT_EQ(store.claim_feeds("dies", std::chrono::minutes{5}, 10, false).size(), 1U);
        db.execute("UPDATE feeds SET lease_until = now() - interval '1 second'"); // lease ran out
    }
    EXPECT_TRUE(store.claim_feeds("next", std::chrono::minutes{5}, 10, false).empty());
    EXPECT_EQ(db.text("SELECT left(last_error, 43) FROM feeds"),
              "held: claimed 3 times and never finished (t");
    EXPECT_EQ(db.scalar("SELECT consecutive_failures FROM feeds"), 1);
    EXPECT_EQ(server.request_count("/f"), 0);

    db.execute("UPDATE feeds SET poll_attempts = 0"); // as the README says, to poll it again
    EXPECT_EQ(poll(config).failed, 0U);
    EXPECT_EQ(db.scalar("SELECT poll_attempts FROM feeds"), 0);
    EXPECT_EQ(db.text("SELECT coalesce(last_error, 'none') FROM feeds"), "none");
}

TEST_F(Scheduling, AFeedGivenBackUnpolledDoesNotCountAsAnAttempt) {
    auto config = configure(feed("/f"));
    store::migrate(store.connection());
    store.sync_feeds(config);
    for (int stop = 0; stop < 5; ++stop) {
        auto claimed = store.claim_feeds("stopping", std::chrono::minutes{5}, 10, false);
        ASSERT_EQ(claimed.size(), 1U);
        store.release_feeds("stopping", {claimed[0].id});
    }
    EXPECT_EQ(db.scalar("SELECT poll_attempts FROM feeds"), 0);
}

// The raw archive and `newsmon reparse`: feed bodies and pages kept as fetched (zstd), pruned
// after [archive] keep, and read again to update the stored articles when what newsmon makes
// of them changes. A feed on the test HTTP server, polled through the daemon's own path.
#include <gtest/gtest.h>

#include <mutex>

#include "archive/zstd_frame.hpp"
#include "http_test_server.hpp"
#include "service/pipeline.hpp"
#include "service/reparse.hpp"
#include "store/migrations.hpp"
#include "store/raw_archive.hpp"
#include "test_database.hpp"

using namespace newsmon;
using testkit::HttpTestServer;
using testkit::Response;
using testkit::TestDatabase;

namespace {

// "НАТО" in windows-1251: read as the ISO-8859-1 the feed wrongly declares, it is "ÍÀÒÎ".
constexpr const char* k_nato_cp1251 = "\xcd\xc0\xd2\xce";

struct Item {
    Item(std::string guid_, std::string title_,
         std::string description_ = "The ministers met on Tuesday.", std::string page_path_ = {})
        : guid(std::move(guid_)), title(std::move(title_)), description(std::move(description_)),
          page_path(std::move(page_path_)) {}
    std::string guid;
    std::string title;
    std::string description;
    std::string page_path; // empty: a link of its own
};

class RawArchive : public ::testing::Test {
protected:
    RawArchive() {
        config.database.url = db.url();
        config.http.block_private = false;
        config.feeds = {{"Wire", server.url("/feed"), {}, {}, {}, {}, {}, {}, {}, {}}};
        config.topics = {{"nato", "", {"NATO", "North Atlantic", "НАТО"}, {}, 1}};
        store::migrate(store.connection());
        store.sync_feeds(config);
        store.sync_topics(config);
    }

    void publish(const std::vector<Item>& items, const std::string& encoding = "UTF-8") {
        std::string xml = "<?xml version=\"1.0\" encoding=\"" + encoding +
                          "\"?><rss version=\"2.0\"><channel><title>Wire</title><link>" +
                          server.url("/") + "</link>";
        for (const auto& item : items)
            xml += "<item><guid>" + item.guid + "</guid><title>" + item.title + "</title><link>" +
                   server.url(item.page_path.empty() ? "/a/" + item.guid : item.page_path) +
                   "</link><description>" + item.description +
                   "</description><pubDate>Tue, 14 Oct 2025 12:00:00 GMT</pubDate></item>";
        feed.set(xml + "</channel></rss>");
    }

    void poll() {
        service::Pipeline pipeline(config);
        service::poll_once(pipeline, store, "test");
    }

    service::ReparseReport
    reparse(service::ReparseOptions options = {},
            const std::function<void(const service::ReparseReport&)>& on_progress = nullptr) {
        auto tagger = tag::Tagger::compile(config.topics);
        return service::reparse(store, config, *tagger, options, on_progress);
    }

    std::string column(const std::string& guid, const std::string& expression) {
        return db.article_column(guid, expression);
    }

    TestDatabase db;
    HttpTestServer server;
    config::Config config;
    store::Store store{db.url()};
    testkit::ChangingBody feed{server, "/feed", "application/rss+xml"};
};

TEST(ZstdFrame, ComesBackAsItWentInAndSaysWhatIsWrongWithABadFrame) {
    std::string text(100'000, 'x');
    text += "НАТО и Азербайджан";
    auto frame = archive::compress(text);
    EXPECT_LT(frame.size(), text.size() / 10);
    EXPECT_EQ(archive::decompress(frame, text.size()).value(), text);
    EXPECT_EQ(archive::decompress(frame, 1000).error(),
              "a zstd frame of 100034 bytes, over the limit of 1000");
    EXPECT_EQ(archive::decompress("<rss>", 1000).error(), "not a zstd frame");
    std::string damaged = frame;
    damaged.resize(damaged.size() - 3);
    EXPECT_FALSE(archive::decompress(damaged, text.size()).has_value());
}

TEST_F(RawArchive, AChangedBodyIsArchivedAsFetchedAndTheSameBytesAgainAreNot) {
    publish({{"a1", "NATO ministers meet"}, {"a2", "Baku hosts talks"}});
    poll();
    ASSERT_EQ(db.scalar("SELECT count(*) FROM raw_archive WHERE kind = 'feed'"), 1);
    auto bodies = store::archived_bodies(store.connection(), {}, 0, 10);
    ASSERT_EQ(bodies.size(), 1U);
    std::string served = feed.get();
    EXPECT_EQ(archive::decompress(bodies[0].frame, 1 << 20).value(), served);
    EXPECT_EQ(db.scalar("SELECT size FROM raw_archive"), static_cast<long long>(served.size()));
    EXPECT_EQ(bodies[0].content_type, "application/rss+xml");
    EXPECT_EQ(bodies[0].url, server.url("/feed"));
    EXPECT_EQ(db.scalar("SELECT http_status FROM raw_archive"), 200);
    EXPECT_EQ(column("a1", "archive_id"), std::to_string(bodies[0].id));
    poll(); // the same bytes: nothing parsed, nothing archived
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 1);
    publish({{"a1", "NATO ministers meet in Brussels"}, {"a2", "Baku hosts talks"}});
    poll();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 2);
    // the changed article points at the new body, the unchanged one at the body it came from
    EXPECT_EQ(column("a1", "archive_id"), db.text("SELECT max(id)::text FROM raw_archive"));
    EXPECT_EQ(column("a2", "archive_id"), std::to_string(bodies[0].id));
}

TEST_F(RawArchive, KeepZeroArchivesNothing) {
    config.archive.keep = std::chrono::milliseconds{0};
    publish({{"a1", "NATO ministers meet"}});
    poll();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 0);
    EXPECT_EQ(column("a1", "archive_id"), "");
}

TEST_F(RawArchive, APageIsArchivedWithItsArticleAndPurgedAfterKeep) {
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    publish({{"p1", "Envoys arrive in Baku", "Envoys arrived on Tuesday...", "/news/1"}});
    poll();
    ASSERT_EQ(column("p1", "page_status"), "done");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive WHERE kind = 'page' AND article_id = "
                        "(SELECT id FROM articles WHERE guid = 'p1')"),
              1);
    // Only bodies fetched longer ago than keep go.
    db.execute(
        "UPDATE raw_archive SET fetched_at = now() - interval '91 days' WHERE kind = 'page'");
    EXPECT_EQ(store::purge_archive(store.connection(), std::chrono::hours{24 * 90}), 1);
    EXPECT_EQ(db.text("SELECT string_agg(kind, ',') FROM raw_archive"), "feed");
    EXPECT_EQ(store::purge_archive(store.connection(), std::chrono::hours{24 * 90}), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 1);
}

TEST_F(RawArchive, ReparseChangesTheArticlesWhoseReadingChangedAndNoOther) {
    // A Russian feed in windows-1251 that declares ISO-8859-1: its Cyrillic comes out as Latin
    // letters. The operator sets [[feed]] charset; reparse reads the archived bytes again.
    publish({{"ru", std::string(k_nato_cp1251) + " summit"}, {"en", "Ministers meet"}},
            "ISO-8859-1");
    poll();
    EXPECT_EQ(column("ru", "title"), "ÍÀÒÎ summit");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM article_topics"), 0);
    auto untouched = column("en", "updated_at");
    config.feeds[0].charset = "windows-1251";
    auto report = reparse();
    EXPECT_EQ(report.feed_bodies, 1);
    EXPECT_EQ(report.changed, 1);
    EXPECT_EQ(report.added, 0);
    EXPECT_EQ(report.fields["title"], 1);
    EXPECT_EQ(report.fields["topics"], 1);
    EXPECT_EQ(column("ru", "title"), "НАТО summit");
    EXPECT_EQ(db.text("SELECT string_agg(topic, ',') FROM article_topics"), "nato");
    EXPECT_EQ(column("en", "updated_at"), untouched);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM reparse_progress"), 0);
    // and the topic rollups count it
    EXPECT_EQ(db.scalar("SELECT coalesce(sum(articles), 0) FROM topic_hourly_changes"), 1);
    // Again: nothing left to change.
    EXPECT_EQ(reparse().changed, 0);
}

TEST_F(RawArchive, AnItemTheOldReadingLostIsAdded) {
    publish({{"a1", "NATO ministers meet"}, {"a2", "Baku hosts talks"}});
    poll();
    db.execute("DELETE FROM articles WHERE guid = 'a2'");
    auto report = reparse();
    EXPECT_EQ(report.added, 1);
    EXPECT_EQ(column("a2", "title"), "Baku hosts talks");
    EXPECT_NE(column("a2", "story_id"), "");
}

TEST_F(RawArchive, ReparseNeverPutsBackAnOlderVersionOfAnItem) {
    publish({{"a1", "NATO ministers meet"}});
    poll();
    publish({{"a1", "NATO ministers meet in Brussels"}});
    poll();
    ASSERT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 2);
    auto report = reparse();
    EXPECT_EQ(report.feed_bodies, 2);
    EXPECT_EQ(report.changed, 0);
    EXPECT_EQ(column("a1", "title"), "NATO ministers meet in Brussels");
    // What an older reading stored is replaced from the newest body, not the first.
    db.execute("UPDATE articles SET title = 'garbled', content_hash = 'old'");
    EXPECT_EQ(reparse().changed, 1);
    EXPECT_EQ(column("a1", "title"), "NATO ministers meet in Brussels");
}

TEST_F(RawArchive, AnInterruptedReparseResumesAfterTheLastBodyItCommitted) {
    for (int version = 1; version <= 3; ++version) {
        publish({{"v" + std::to_string(version), "Report " + std::to_string(version)}});
        poll();
    }
    db.execute("UPDATE articles SET title = 'garbled', content_hash = 'old'");
    service::ReparseOptions options;
    options.batch_size = 1;
    int batches = 0;
    EXPECT_THROW(reparse(options,
                         [&](const service::ReparseReport&) {
                             if (++batches == 1)
                                 throw std::runtime_error("killed");
                         }),
                 std::runtime_error);
    EXPECT_EQ(db.scalar("SELECT bodies FROM reparse_progress"), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE title = 'garbled'"), 2);
    auto report = reparse(options);
    EXPECT_TRUE(report.resumed);
    EXPECT_EQ(report.feed_bodies, 3);
    EXPECT_EQ(report.changed, 3); // one before the interruption, two after
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE title = 'garbled'"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM reparse_progress"), 0);
}

// A body whose reading the database refuses is counted and passed over: stopping there, every
// resumed run would stop there again.
TEST_F(RawArchive, ABodyTheDatabaseRefusesIsCountedAndTheRunGoesOn) {
    for (int version = 1; version <= 3; ++version) {
        publish({{"v" + std::to_string(version), "Report " + std::to_string(version)}});
        poll();
    }
    db.execute("UPDATE articles SET title = 'garbled', content_hash = 'old'");
    db.execute("CREATE FUNCTION refuse_report_2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "IF NEW.title = 'Report 2' THEN RAISE check_violation USING MESSAGE = 'refused'; "
               "END IF; RETURN NEW; END $$");
    db.execute("CREATE TRIGGER refuse_report_2 BEFORE UPDATE ON articles FOR EACH ROW "
               "EXECUTE FUNCTION refuse_report_2()");
    service::ReparseOptions options;
    options.batch_size = 2;
    for (int run = 1; run <= 2; ++run) {
        auto report = reparse(options);
        EXPECT_EQ(report.feed_bodies, 3);
        EXPECT_EQ(report.unreadable, 1);
        EXPECT_EQ(report.changed, run == 1 ? 2 : 0);
    }
    EXPECT_EQ(column("v1", "title"), "Report 1");
    EXPECT_EQ(column("v2", "title"), "garbled");
    EXPECT_EQ(column("v3", "title"), "Report 3");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM reparse_progress"), 0);
}

TEST_F(RawArchive, ReparseReadsTheArchivedPageAgain) {
    auto page = server.serve_file("/news/1", "articles/portal_with_menus.html", "text/html");
    publish({{"p1", "Envoys arrive in Baku", "Envoys arrived on Tuesday...", "/news/1"}});
    poll();
    auto text = column("p1", "content_text");
    ASSERT_NE(text.find("North Atlantic Council"), std::string::npos);
    ASSERT_EQ(db.text("SELECT string_agg(topic, ',') FROM article_topics"), "nato");
    // as an older extractor might have left it: menus, no story
    db.execute("UPDATE articles SET content_text = 'Latest news | Sport | Weather'");
    db.execute("DELETE FROM article_topics");
    auto report = reparse();
    EXPECT_EQ(report.pages, 1);
    EXPECT_EQ(report.pages_changed, 1);
    EXPECT_EQ(column("p1", "content_text"), text);
    EXPECT_EQ(db.text("SELECT string_agg(topic, ',') FROM article_topics"), "nato");
    EXPECT_EQ(server.request_count("/news/1"), 1); // read from the archive, not fetched
}

TEST_F(RawArchive, ReparseOfOneFeedLeavesTheOthersAlone) {
    publish({{"a1", "NATO ministers meet"}});
    poll();
    db.execute("UPDATE articles SET title = 'garbled', content_hash = 'old'");
    service::ReparseOptions options;
    options.feed_id = db.scalar("SELECT id FROM feeds") + 1000;
    EXPECT_EQ(reparse(options).feed_bodies, 0);
    EXPECT_EQ(column("a1", "title"), "garbled");
    options.feed_id = *store::feed_id_named(store.connection(), "Wire");
    EXPECT_EQ(reparse(options).changed, 1);
}

} // namespace

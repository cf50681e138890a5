// Stories as ingest stores them: every article in one, reports of one event from several feeds
// and languages in the same one, counts kept, and nothing half-stored when a poll fails.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "newsroom.hpp"
#include "store/article_writer.hpp"
#include "store/store.hpp"
#include "store/story_rebuild.hpp"
#include "store/story_store.hpp"
#include "story_texts.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono;
using testkit::make_item;
using namespace testkit::story_texts;

namespace {

class StoryStoreTest : public ::testing::Test {
protected:
    void SetUp() override { room = testkit::populate_newsroom(store, db.url()); }

    void store_article(store::Store& into, std::int64_t feed, const std::string& guid,
                       const std::string& title, const std::string& body,
                       const std::string& language, sys_seconds published) {
        store::FeedPoll poll;
        poll.feed_id = feed;
        poll.started_at = system_clock::now();
        poll.http_status = 200;
        poll.next_poll_in = minutes{15};
        store::PolledArticle article;
        article.item = make_item(guid, title, "https://news.example.test/" + guid, published, body);
        article.language = language;
        poll.articles.push_back(std::move(article));
        into.record_poll(poll);
    }
    // One event in three reports (story_texts.hpp): the English original, an English copy and a
    // Russian report.
    void store_rail_report(store::Store& into, std::int64_t feed, hours after_midnight) {
        store_article(into, feed, "rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                      k_english_report, "en", today + after_midnight);
    }
    void store_rail_copy(store::Store& into, std::int64_t feed, hours after_midnight) {
        store_article(into, feed, "rail-copy", "Rail tariffs on BTK line to fall 12%",
                      k_english_copy, "en", today + after_midnight);
    }
    void store_rail_russian(store::Store& into, std::int64_t feed, hours after_midnight) {
        store_article(into, feed, "rail-ru", "Азербайджан и Грузия снизят тарифы на грузоперевозки",
                      k_russian_report, "ru", today + after_midnight);
    }
    // One article as a batch for write_articles.
    std::vector<store::PolledArticle> report(const std::string& guid, const std::string& title,
                                             const char* body, const std::string& language,
                                             hours at) {
        store::PolledArticle article;
        article.item =
            make_item(guid, title, "https://news.example.test/" + guid, today + at, body);
        article.language = language;
        return {article};
    }
    // Up to 5 s, until some connection waits on a lock (the second of two writers).
    void wait_until_a_writer_waits_on_a_lock() {
        for (int i = 0; i < 500 && db.scalar("SELECT count(*) FROM pg_stat_activity "
                                             "WHERE wait_event_type = 'Lock'") == 0;
             ++i)
            std::this_thread::sleep_for(milliseconds{10});
    }
    // Connections of this test's database waiting on an advisory lock (tests running beside it
    // use databases of their own, on the same server).
    long long waiting_on_the_story_lock() {
        return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory' "
                         "AND datname = current_database()");
    }
    // Up to 30 s, until `writers` connections wait on the story-assignment lock. The tests that
    // hold it check with EXPECT, not ASSERT, before they give it back: returning early with it
    // held would leave the writer's thread, and the test, waiting for ever.
    void wait_until_writers_wait_on_the_story_lock(int writers) {
        for (int i = 0; i < 3000 && waiting_on_the_story_lock() < writers; ++i)
            std::this_thread::sleep_for(milliseconds{10});
    }
    // The story-assignment lock (its key is story_store.cpp's), held by a session of the
    // test's so that writers stop where they take it.
    static void hold_the_story_lock(pqxx::connection& holder) {
        pqxx::nontransaction{holder}.exec("SELECT pg_advisory_lock(x'6e6d73746f727973'::bigint)");
    }
    static void release_the_story_lock(pqxx::connection& holder) {
        pqxx::nontransaction{holder}.exec("SELECT pg_advisory_unlock(x'6e6d73746f727973'::bigint)");
    }
    // How many connections wait on the story lock having written to `articles` already.
    long long writers_waiting_with_articles_written() {
        return db.scalar("SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a "
                         "ON a.pid = l.pid WHERE a.wait_event = 'advisory' AND l.granted "
                         "AND a.datname = current_database() AND l.database = (SELECT oid FROM "
                         "pg_database WHERE datname = current_database()) "
                         "AND l.relation = 'articles'::regclass AND l.mode = 'RowExclusiveLock'");
    }
    long long story_of(const std::string& guid) {
        return db.scalar("SELECT story_id FROM articles WHERE guid = '" + guid + "'");
    }
    // Every article's story exists, and its counts are its articles'.
    void expect_story_rows_match_articles() {
        EXPECT_EQ(db.scalar("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                            "(SELECT 1 FROM stories s WHERE s.id = a.story_id)"),
                  0);
        EXPECT_EQ(db.scalar("SELECT count(*) FROM stories s WHERE s.article_count <> "
                            "(SELECT count(*) FROM articles a WHERE a.story_id = s.id) "
                            "OR s.feed_count <> (SELECT count(DISTINCT feed_id) FROM articles a "
                            "WHERE a.story_id = s.id)"),
                  0);
        // first article, times and languages as a count from scratch gives them
        EXPECT_EQ(db.scalar("SELECT count(*) FROM stories s WHERE "
                            "s.first_article_id <> (SELECT a.id FROM articles a WHERE a.story_id "
                            "= s.id ORDER BY a.published_at, a.id LIMIT 1) "
                            "OR s.first_seen_at <> (SELECT min(published_at) FROM articles a "
                            "WHERE a.story_id = s.id) "
                            "OR s.last_seen_at <> (SELECT max(published_at) FROM articles a "
                            "WHERE a.story_id = s.id) "
                            "OR s.languages <> ARRAY(SELECT DISTINCT language FROM articles a "
                            "WHERE a.story_id = s.id AND language <> '' ORDER BY 1)"),
                  0);
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    testkit::Newsroom room;
    sys_seconds today = testkit::start_of_today();
};

} // namespace

TEST_F(StoryStoreTest, EveryArticleHasAStoryAndARepublicationSharesItsOriginals) {
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE story_id IS NULL"), 0);
    EXPECT_EQ(story_of("g1"), story_of("w1"));
    EXPECT_EQ(story_of("g3"), story_of("w2"));
    EXPECT_NE(story_of("w1"), story_of("w2"));
    expect_story_rows_match_articles();
}

TEST_F(StoryStoreTest, ACopyAndATranslationFromOtherFeedsJoinTheStoryAndAnotherEventDoesNot) {
    store_rail_report(store, room.wire, hours{1});
    store_rail_copy(store, room.agency, hours{2});
    store_rail_russian(store, room.agency, hours{3});
    store_article(store, room.wire, "ferry-en", "Azerbaijan and Kazakhstan discuss ferries",
                  k_other_event, "en", today + hours{4});
    EXPECT_EQ(story_of("rail-copy"), story_of("rail-en"));
    EXPECT_EQ(story_of("rail-ru"), story_of("rail-en"));
    EXPECT_NE(story_of("ferry-en"), story_of("rail-en"));
    auto story = std::to_string(story_of("rail-en"));
    EXPECT_EQ(db.scalar("SELECT article_count FROM stories WHERE id = " + story), 3);
    EXPECT_EQ(db.scalar("SELECT feed_count FROM stories WHERE id = " + story), 2);
    EXPECT_EQ(db.text("SELECT languages::text FROM stories WHERE id = " + story), "{en,ru}");
    EXPECT_EQ(db.text("SELECT title FROM stories WHERE id = " + story),
              "Azerbaijan and Georgia cut rail freight tariffs");
    EXPECT_EQ(db.scalar("SELECT first_article_id FROM stories WHERE id = " + story),
              db.scalar("SELECT id FROM articles WHERE guid = 'rail-en'"));
    EXPECT_EQ(
        db.scalar("SELECT count(*) FROM story_articles WHERE story = " + story + " AND is_first"),
        1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures"),
              db.scalar("SELECT count(*) FROM articles"));
    expect_story_rows_match_articles();
}

TEST_F(StoryStoreTest, TopStoriesRankByFeedsAndCarryTheirTopics) {
    auto now = floor<seconds>(system_clock::now());
    store_article(store, room.wire, "rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                  k_english_report, "en", now - hours{3});
    store_article(store, room.agency, "rail-ru",
                  "Азербайджан и Грузия снизят тарифы на грузоперевозки", k_russian_report, "ru",
                  now - hours{2});
    store_article(store, room.wire, "ferry-en", "Azerbaijan and Kazakhstan discuss ferries",
                  k_other_event, "en", now - hours{1});
    auto rank_of = [&](const std::string& guid) {
        return db.scalar("SELECT rank FROM (SELECT story, row_number() OVER () AS rank FROM "
                         "top_stories) t WHERE story = " +
                         std::to_string(story_of(guid)));
    };
    EXPECT_LT(rank_of("rail-en"), rank_of("ferry-en"));
    EXPECT_EQ(db.scalar("SELECT feed_count FROM top_stories WHERE story = " +
                        std::to_string(story_of("rail-en"))),
              2);
    EXPECT_EQ(db.text("SELECT topics::text FROM top_stories WHERE story = " +
                      std::to_string(story_of("w1"))),
              "{azerbaijan,nato}");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM top_stories WHERE last_seen_at < now() - "
                        "interval '24 hours'"),
              0);
}

TEST_F(StoryStoreTest, AnotherInstanceJoinsTheStoriesTheFirstStored) {
    store::Store other{db.url()};
    store_article(other, room.wire, "warm", "Warm-up", "Nothing at all.", "en", today);
    store_rail_report(store, room.wire, hours{1});
    store_rail_copy(other, room.agency, hours{2});
    EXPECT_EQ(story_of("rail-copy"), story_of("rail-en"));
}

// Two writers add an article each to one story at the same time; the later must wait and count
// the earlier one's article too, or the story would say it has one article fewer than it has.
TEST_F(StoryStoreTest, TwoWritersJoiningOneStoryAtOnceBothCount) {
    long long story = story_of("g1"), other = story_of("w2");
    long long before =
        db.scalar("SELECT article_count FROM stories WHERE id = " + std::to_string(story));
    auto move_into_story = [&](pqxx::work& tx, const std::string& guid) {
        tx.exec("UPDATE articles SET story_id = " + std::to_string(story) + " WHERE guid = '" +
                guid + "'");
        store::update_story_rows(tx, {story, other});
    };
    pqxx::connection first_connection{db.url()}, second_connection{db.url()};
    pqxx::work first{first_connection};
    move_into_story(first, "w2");
    auto second = std::async(std::launch::async, [&] {
        pqxx::work tx{second_connection};
        move_into_story(tx, "g3");
        tx.commit();
    });
    // the second writer is waiting for the first's lock before the first commits
    wait_until_a_writer_waits_on_a_lock();
    first.commit();
    second.get();
    EXPECT_EQ(db.scalar("SELECT article_count FROM stories WHERE id = " + std::to_string(story)),
              before + 2);
    expect_story_rows_match_articles();
}

// `[stories] window = "0s"`: clustering off. Reports of one event stay stories of their own,
// each with its row, and no signature is kept.
TEST_F(StoryStoreTest, AZeroWindowKeepsEveryArticleAStoryOfItsOwn) {
    store.use_story_window(seconds{0});
    store_rail_report(store, room.wire, hours{1});
    store_rail_copy(store, room.agency, hours{2});
    EXPECT_NE(story_of("rail-copy"), story_of("rail-en"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures s JOIN articles a ON a.id = "
                        "s.article_id WHERE a.guid IN ('rail-en', 'rail-copy')"),
              0);
    expect_story_rows_match_articles();
}

// A report published before the story's first, stored after it, becomes its first: who broke it.
TEST_F(StoryStoreTest, AnEarlierReportStoredLaterBecomesTheStorysFirst) {
    store_rail_copy(store, room.agency, hours{2});
    store_rail_russian(store, room.wire, hours{1});
    auto story = std::to_string(story_of("rail-copy"));
    ASSERT_EQ(story_of("rail-ru"), story_of("rail-copy"));
    EXPECT_EQ(db.scalar("SELECT first_article_id FROM stories WHERE id = " + story),
              db.scalar("SELECT id FROM articles WHERE guid = 'rail-ru'"));
    EXPECT_EQ(db.text("SELECT title FROM stories WHERE id = " + story),
              "Азербайджан и Грузия снизят тарифы на грузоперевозки");
    EXPECT_EQ(db.text("SELECT languages::text FROM stories WHERE id = " + story), "{en,ru}");
    expect_story_rows_match_articles();
}

// Two feeds' writers add a report each to one stored story at the same time: the story row's
// lock makes the later add to the count the earlier committed, so the story has all three
// articles and all three feeds.
TEST_F(StoryStoreTest, TwoFeedsJoiningOneStoryAtOnceBothCount) {
    store_rail_report(store, room.wire, hours{1});
    long long story = story_of("rail-en");
    pqxx::connection first_connection{db.url()}, second_connection{db.url()};
    store::prepare_article_writer(first_connection);
    store::prepare_article_writer(second_connection);
    store::StoryAssigner first_stories{hours{72}}, second_stories{hours{72}};
    pqxx::work first{first_connection};
    (void)store::write_articles(
        first, room.agency,
        report("rail-copy", "Rail tariffs on BTK line to fall 12%", k_english_copy, "en", hours{2}),
        first_stories);
    auto second = std::async(std::launch::async, [&] {
        pqxx::work tx{second_connection};
        (void)store::write_articles(tx, room.failing,
                                    report("rail-ru",
                                           "Азербайджан и Грузия снизят тарифы на грузоперевозки",
                                           k_russian_report, "ru", hours{3}),
                                    second_stories);
        tx.commit();
    });
    wait_until_a_writer_waits_on_a_lock();
    first.commit();
    second.get();
    EXPECT_EQ(story_of("rail-copy"), story);
    EXPECT_EQ(story_of("rail-ru"), story);
    EXPECT_EQ(db.scalar("SELECT article_count FROM stories WHERE id = " + std::to_string(story)),
              3);
    EXPECT_EQ(db.scalar("SELECT feed_count FROM stories WHERE id = " + std::to_string(story)), 3);
    expect_story_rows_match_articles();
}

// Two writers store the first two reports of one event at the same instant. The later must wait
// for the earlier to commit and join its story; reading the signatures before that, it would
// open a second story for the same event.
TEST_F(StoryStoreTest, TwoWritersStoringANewEventAtOnceOpenOneStory) {
    pqxx::connection first_connection{db.url()}, second_connection{db.url()};
    store::prepare_article_writer(first_connection);
    store::prepare_article_writer(second_connection);
    store::StoryAssigner first_stories{hours{72}}, second_stories{hours{72}};
    pqxx::work first{first_connection};
    (void)store::write_articles(first, room.wire,
                                report("rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                                       k_english_report, "en", hours{1}),
                                first_stories);
    auto second = std::async(std::launch::async, [&] {
        pqxx::work tx{second_connection};
        (void)store::write_articles(tx, room.agency,
                                    report("rail-copy", "Rail tariffs on BTK line to fall 12%",
                                           k_english_copy, "en", hours{2}),
                                    second_stories);
        tx.commit();
    });
    wait_until_a_writer_waits_on_a_lock();
    first.commit();
    second.get();
    EXPECT_EQ(story_of("rail-copy"), story_of("rail-en"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories WHERE id IN (SELECT story_id FROM articles "
                        "WHERE guid IN ('rail-en', 'rail-copy'))"),
              1);
    expect_story_rows_match_articles();
}

// A poll writes its articles before taking the story lock, and only confirms their stories under
// it. Here another feed's report of the same event commits in between: at confirmation the
// writer finds it, undoes its batch and writes it again under the lock, into that story. Without
// the confirmation it would open a second story for the event.
TEST_F(StoryStoreTest, AReportCommittedWhileAPollWroteMakesItWriteAgainIntoThatStory) {
    pqxx::connection holder{db.url()};
    store::prepare_article_writer(holder);
    hold_the_story_lock(holder);
    auto poll = std::async(std::launch::async, [&] {
        store::Store writer{db.url()};
        store_rail_copy(writer, room.agency, hours{2});
    });
    wait_until_writers_wait_on_the_story_lock(1);
    EXPECT_EQ(waiting_on_the_story_lock(), 1);
    {
        // the holder's session has the lock already, so its own writer goes ahead
        store::StoryAssigner stories{hours{72}};
        pqxx::work tx{holder};
        (void)store::write_articles(tx, room.wire,
                                    report("rail-en",
                                           "Azerbaijan and Georgia cut rail freight tariffs",
                                           k_english_report, "en", hours{1}),
                                    stories);
        tx.commit();
    }
    release_the_story_lock(holder);
    poll.get();
    EXPECT_EQ(story_of("rail-copy"), story_of("rail-en"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'rail-copy'"), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures s JOIN articles a "
                        "ON a.id = s.article_id WHERE a.guid = 'rail-copy' "
                        "AND s.story_id = a.story_id"),
              1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories"),
              db.scalar("SELECT count(DISTINCT story_id) FROM articles"));
    expect_story_rows_match_articles();
}

// The same for a republication: another feed's copy of the page (its canonical URL) commits
// while a poll that carries it waits to confirm. Written under the lock, the poll's article
// would have been stored as the copy's republication, in its story; so it is written again.
TEST_F(StoryStoreTest, ACopyCommittedWhileAPollWroteMakesItARepublication) {
    pqxx::connection holder{db.url()};
    store::prepare_article_writer(holder);
    hold_the_story_lock(holder);
    auto poll = std::async(std::launch::async, [&] {
        store::Store writer{db.url()};
        store_article(writer, room.agency, "agency-copy", "Ferry talks in Aktau", k_other_event,
                      "en", today + hours{2});
    });
    wait_until_writers_wait_on_the_story_lock(1);
    EXPECT_EQ(writers_waiting_with_articles_written(), 1);
    {
        store::StoryAssigner stories{hours{72}};
        pqxx::work tx{holder};
        // its teaser unlike the poll's, so that only the URL tells them the same
        auto copy = report("wire-copy", "Azerbaijan and Georgia cut rail freight tariffs",
                           k_english_report, "en", hours{1});
        copy[0].item.link = "https://news.example.test/agency-copy";
        (void)store::write_articles(tx, room.wire, copy, stories);
        tx.commit();
    }
    release_the_story_lock(holder);
    poll.get();
    EXPECT_EQ(db.scalar("SELECT duplicate_of FROM articles WHERE guid = 'agency-copy'"),
              db.scalar("SELECT id FROM articles WHERE guid = 'wire-copy'"));
    EXPECT_EQ(story_of("agency-copy"), story_of("wire-copy"));
    expect_story_rows_match_articles();
}

// Two feeds' polls write their reports of a stored story side by side, before the lock; each then
// confirms and writes the story row under it, adding to what the other committed.
TEST_F(StoryStoreTest, TwoPollsWrittenBeforeTheLockJoinOneStoredStoryAndBothCount) {
    store_rail_report(store, room.wire, hours{1});
    long long story = story_of("rail-en");
    pqxx::connection holder{db.url()};
    hold_the_story_lock(holder);
    auto copy = std::async(std::launch::async, [&] {
        store::Store writer{db.url()};
        store_rail_copy(writer, room.agency, hours{2});
    });
    auto russian = std::async(std::launch::async, [&] {
        store::Store writer{db.url()};
        store_rail_russian(writer, room.failing, hours{3});
    });
    wait_until_writers_wait_on_the_story_lock(2);
    // both wrote their articles: the rows wait uncommitted, to be confirmed
    EXPECT_EQ(writers_waiting_with_articles_written(), 2);
    release_the_story_lock(holder);
    copy.get();
    russian.get();
    EXPECT_EQ(story_of("rail-copy"), story);
    EXPECT_EQ(story_of("rail-ru"), story);
    EXPECT_EQ(db.scalar("SELECT article_count FROM stories WHERE id = " + std::to_string(story)),
              3);
    EXPECT_EQ(db.scalar("SELECT feed_count FROM stories WHERE id = " + std::to_string(story)), 3);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures s JOIN articles a ON a.id = "
                        "s.article_id WHERE a.guid LIKE 'rail-%' AND s.story_id = a.story_id"),
              3);
    expect_story_rows_match_articles();
}

// A poll that changes a stored article takes the story lock before writing: the changed row
// stays locked by the write, and `restory` or the retention, holding the story lock while they
// change stored articles, would wait for it while the writer waited for them.
TEST_F(StoryStoreTest, APollThatChangesAStoredArticleTakesTheStoryLockBeforeWriting) {
    store_rail_report(store, room.wire, hours{1});
    pqxx::connection holder{db.url()};
    hold_the_story_lock(holder);
    auto poll = std::async(std::launch::async, [&] {
        store::Store writer{db.url()};
        store::FeedPoll changed;
        changed.feed_id = room.wire;
        changed.started_at = system_clock::now();
        changed.http_status = 200;
        changed.next_poll_in = minutes{15};
        for (auto [guid, title, body, at] :
             {std::tuple{"rail-en", "Azerbaijan and Georgia cut rail tariffs (updated)",
                         k_english_report, hours{1}},
              std::tuple{"ferry", "Azerbaijan and Kazakhstan discuss ferries", k_other_event,
                         hours{3}}}) {
            store::PolledArticle article;
            article.item = make_item(guid, title, std::string("https://news.example.test/") + guid,
                                     today + at, body);
            article.language = "en";
            changed.articles.push_back(std::move(article));
        }
        (void)writer.record_poll(changed);
    });
    wait_until_writers_wait_on_the_story_lock(1);
    EXPECT_EQ(waiting_on_the_story_lock(), 1);
    EXPECT_EQ(writers_waiting_with_articles_written(), 0);
    release_the_story_lock(holder);
    poll.get();
    EXPECT_EQ(db.text("SELECT title FROM articles WHERE guid = 'rail-en'"),
              "Azerbaijan and Georgia cut rail tariffs (updated)");
    EXPECT_NE(story_of("ferry"), story_of("rail-en"));
    expect_story_rows_match_articles();
}

TEST_F(StoryStoreTest, AFailedPollStoresNothingAndLeavesNoStoryBehind) {
    store_rail_report(store, room.wire, hours{1});
    // A feed that does not exist: the articles' insert is refused and the transaction undone.
    EXPECT_THROW(store_article(store, 999999, "rail-copy", "Rail tariffs on BTK line to fall 12%",
                               k_english_copy, "en", today + hours{2}),
                 std::exception);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'rail-copy'"), 0);
    store_rail_russian(store, room.agency, hours{3});
    EXPECT_EQ(story_of("rail-ru"), story_of("rail-en"));
    expect_story_rows_match_articles();
}

TEST_F(StoryStoreTest, RestoryGroupsArticlesStoredBeforeStoriesAndASecondRunChangesNothing) {
    store_rail_report(store, room.wire, hours{1});
    store_rail_russian(store, room.agency, hours{3});
    // As the migration leaves a database of older articles: each its own story, no signatures.
    db.execute("DELETE FROM story_signatures");
    db.execute("DELETE FROM stories");
    db.execute("UPDATE articles SET story_id = id + 1000");
    db.execute("INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, "
               "article_count, feed_count, title) SELECT story_id, id, published_at, "
               "published_at, 1, 1, title FROM articles");
    ASSERT_NE(story_of("rail-ru"), story_of("rail-en"));
    pqxx::connection connection{db.url()};
    auto first = store::restory_articles(connection, {}, nullptr);
    EXPECT_EQ(first.done, db.scalar("SELECT count(*) FROM articles"));
    EXPECT_EQ(story_of("rail-ru"), story_of("rail-en"));
    EXPECT_EQ(story_of("rail-en"), db.scalar("SELECT id FROM articles WHERE guid = 'rail-en'") +
                                       1000); // the first article's story id is kept
    EXPECT_EQ(story_of("g1"), story_of("w1"));
    expect_story_rows_match_articles();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories"),
              db.scalar("SELECT count(DISTINCT story_id) FROM articles"));
    auto stories_before = db.text("SELECT string_agg(id || ':' || story_id, ',' ORDER BY id) "
                                  "FROM articles");
    auto second = store::restory_articles(connection, {}, nullptr);
    EXPECT_EQ(second.moved, 0);
    EXPECT_EQ(db.text("SELECT string_agg(id || ':' || story_id, ',' ORDER BY id) FROM articles"),
              stories_before);
}

// `restory` while the daemon stores: each batch of restory takes the writers' story lock, so it
// waits for a writer that is assigning stories (here to a report of another event, whose new
// story shares no row with what restory rewrites) and then reads that writer's report.
TEST_F(StoryStoreTest, RestoryWaitsForAWriterAssigningStoriesAndThenCountsItsReport) {
    store_rail_report(store, room.wire, hours{1});
    store_rail_copy(store, room.agency, hours{2});
    pqxx::connection writer_connection{db.url()}, restory_connection{db.url()};
    store::prepare_article_writer(writer_connection);
    store::StoryAssigner writer_stories{hours{72}};
    pqxx::work writer{writer_connection};
    (void)store::write_articles(
        writer, room.agency,
        report("ferry", "Azerbaijan and Kazakhstan discuss ferries", k_other_event, "en", hours{3}),
        writer_stories);
    auto restory = std::async(std::launch::async, [&] {
        return store::restory_articles(restory_connection, {}, nullptr);
    });
    wait_until_a_writer_waits_on_a_lock();
    EXPECT_EQ(restory.wait_for(milliseconds{300}), std::future_status::timeout)
        << "restory went on while a writer held the story-assignment lock";
    writer.commit();
    auto rebuilt = restory.get();
    EXPECT_EQ(rebuilt.done, db.scalar("SELECT count(*) FROM articles"));
    EXPECT_EQ(rebuilt.moved, 0);
    EXPECT_EQ(story_of("rail-copy"), story_of("rail-en"));
    EXPECT_NE(story_of("ferry"), story_of("rail-en"));
    expect_story_rows_match_articles();
}

TEST_F(StoryStoreTest, StoriesCommandListsTheWidestCarriedFirstAndRefusesAnUnknownTopic) {
    auto now = floor<seconds>(system_clock::now());
    store_article(store, room.wire, "rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                  k_english_report, "en", now - hours{3});
    store_article(store, room.agency, "rail-ru",
                  "Азербайджан и Грузия снизят тарифы на грузоперевозки", k_russian_report, "ru",
                  now - hours{2});
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-stories-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path) << "[database]\nurl = \"" << db.url() << "\"\n";
    cli::StoriesCommand command;
    command.json = true;
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(cli::command_stories({path.string(), "warn"}, command), cli::k_exit_ok);
    auto json = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    bool found = false;
    for (const auto& story : json) {
        if (story["title"] != "Azerbaijan and Georgia cut rail freight tariffs")
            continue;
        found = true;
        EXPECT_EQ(story["feed_count"], 2);
        EXPECT_EQ(story["languages"], nlohmann::json({"en", "ru"}));
        EXPECT_EQ(story["first_feed"], "Wire");
    }
    EXPECT_TRUE(found) << json.dump();
    command.topic = "weather";
    EXPECT_EQ(cli::command_stories({path.string(), "warn"}, command), cli::k_exit_usage);
    std::filesystem::remove(path);
}

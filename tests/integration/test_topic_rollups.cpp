// The hourly rollups (per topic, per topic and feed, per pair of topics: each table plus its
// deltas not folded yet) and each story's tags per topic (stories.topic_articles) against a count
// from scratch over the articles, after every way articles, their topics and their stories' first
// articles change: ingest (new, republished, updated, two writers at once), folds, rebuilds while
// writers write, pages, retag, restory and retention.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "newsroom.hpp"
#include "store/article_retention.hpp"
#include "store/article_writer.hpp"
#include "store/migrations.hpp"
#include "store/page_store.hpp"
#include "store/retag.hpp"
#include "store/store.hpp"
#include "store/story_rebuild.hpp"
#include "store/story_store.hpp"
#include "store/topic_rollups.hpp"
#include "story_texts.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono;
using testkit::make_item;
using testkit::topic;
using namespace testkit::story_texts;

namespace {

// Each (topic, hour) whose rollup differs from the count over the articles, with both; empty
// when they agree. Hours are UTC; stories are those whose first article is the tagged one.
constexpr const char* k_mismatches = R"sql(
WITH kept AS (
    SELECT topic, hour, sum(articles) AS articles, sum(stories) AS stories
      FROM (SELECT topic, hour, articles, stories FROM topic_hourly
            UNION ALL
            SELECT topic, hour, articles, stories FROM topic_hourly_changes) r
     GROUP BY 1, 2
    HAVING sum(articles) <> 0 OR sum(stories) <> 0
), counted AS (
    SELECT t.topic, date_trunc('hour', a.published_at, 'UTC') AS hour, count(*) AS articles,
           count(*) FILTER (WHERE s.first_article_id = a.id) AS stories
      FROM article_topics t
      JOIN articles a ON a.id = t.article_id
      JOIN stories s ON s.id = a.story_id
     WHERE a.duplicate_of IS NULL
     GROUP BY 1, 2
)
SELECT COALESCE(string_agg(COALESCE(k.topic, c.topic) || ' '
                           || to_char(COALESCE(k.hour, c.hour) AT TIME ZONE 'UTC', 'MM-DD HH24')
                           || ' kept ' || COALESCE(k.articles, 0) || '/' || COALESCE(k.stories, 0)
                           || ' counted ' || COALESCE(c.articles, 0) || '/'
                           || COALESCE(c.stories, 0), '; '), '')
  FROM kept k FULL JOIN counted c ON c.topic = k.topic AND c.hour = k.hour
 WHERE k.articles IS DISTINCT FROM c.articles OR k.stories IS DISTINCT FROM c.stories
)sql";

// The same for each (topic, feed, hour) and each (pair of topics, hour), articles only.
constexpr const char* k_feed_mismatches = R"sql(
WITH kept AS (
    SELECT topic, feed_id, hour, sum(articles) AS articles
      FROM (SELECT topic, feed_id, hour, articles FROM topic_feed_hourly
            UNION ALL
            SELECT topic, feed_id, hour, articles FROM topic_hourly_changes
             WHERE feed_id IS NOT NULL) r
     GROUP BY 1, 2, 3
    HAVING sum(articles) <> 0
), counted AS (
    SELECT t.topic, a.feed_id, date_trunc('hour', a.published_at, 'UTC') AS hour,
           count(*) AS articles
      FROM article_topics t
      JOIN articles a ON a.id = t.article_id
     WHERE a.duplicate_of IS NULL
     GROUP BY 1, 2, 3
)
SELECT COALESCE(string_agg(COALESCE(k.topic, c.topic) || ' feed ' || COALESCE(k.feed_id, c.feed_id)
                           || ' ' || to_char(COALESCE(k.hour, c.hour) AT TIME ZONE 'UTC', 'MM-DD HH24')
                           || ' kept ' || COALESCE(k.articles, 0) || ' counted '
                           || COALESCE(c.articles, 0), '; '), '')
  FROM kept k FULL JOIN counted c
    ON c.topic = k.topic AND c.feed_id = k.feed_id AND c.hour = k.hour
 WHERE k.articles IS DISTINCT FROM c.articles
)sql";

constexpr const char* k_pair_mismatches = R"sql(
WITH kept AS (
    SELECT topic_a, topic_b, hour, sum(articles) AS articles
      FROM (SELECT topic_a, topic_b, hour, articles FROM topic_pair_hourly
            UNION ALL
            SELECT topic_a, topic_b, hour, articles FROM topic_pair_hourly_changes) r
     GROUP BY 1, 2, 3
    HAVING sum(articles) <> 0
), counted AS (
    SELECT x.topic AS topic_a, y.topic AS topic_b,
           date_trunc('hour', a.published_at, 'UTC') AS hour, count(*) AS articles
      FROM article_topics x
      JOIN article_topics y ON y.article_id = x.article_id AND x.topic < y.topic
      JOIN articles a ON a.id = x.article_id
     WHERE a.duplicate_of IS NULL
     GROUP BY 1, 2, 3
)
SELECT COALESCE(string_agg(COALESCE(k.topic_a, c.topic_a) || '+' || COALESCE(k.topic_b, c.topic_b)
                           || ' ' || to_char(COALESCE(k.hour, c.hour) AT TIME ZONE 'UTC', 'MM-DD HH24')
                           || ' kept ' || COALESCE(k.articles, 0) || ' counted '
                           || COALESCE(c.articles, 0), '; '), '')
  FROM kept k FULL JOIN counted c
    ON c.topic_a = k.topic_a AND c.topic_b = k.topic_b AND c.hour = k.hour
 WHERE k.articles IS DISTINCT FROM c.articles
)sql";

// Each story and topic whose kept count (stories.topic_articles plus the deltas not folded yet)
// differs from its articles' tags, republications included.
constexpr const char* k_story_topic_mismatches = R"sql(
WITH kept AS (
    SELECT story_id, topic, sum(articles) AS articles
      FROM (SELECT s.id AS story_id, t.topic, t.articles
              FROM stories s, topic_counts(s.topic_articles) t
            UNION ALL
            SELECT c.story_id, c.topic, c.articles
              FROM story_topic_changes c JOIN stories s ON s.id = c.story_id) k
     GROUP BY 1, 2
    HAVING sum(articles) <> 0
), counted AS (
    SELECT a.story_id, t.topic, count(*) AS articles
      FROM article_topics t JOIN articles a ON a.id = t.article_id
     GROUP BY 1, 2
)
SELECT COALESCE(string_agg('story ' || COALESCE(k.story_id, c.story_id) || ' '
                           || COALESCE(k.topic, c.topic) || ' kept ' || COALESCE(k.articles, 0)
                           || ' counted ' || COALESCE(c.articles, 0), '; '), '')
  FROM kept k FULL JOIN counted c ON c.story_id = k.story_id AND c.topic = k.topic
 WHERE k.articles IS DISTINCT FROM c.articles
)sql";

void expect_rollups_match_articles(const testkit::TestDatabase& db) {
    EXPECT_EQ(db.text(k_mismatches), "");
    EXPECT_EQ(db.text(k_feed_mismatches), "");
    EXPECT_EQ(db.text(k_pair_mismatches), "");
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
}

class TopicRollups : public ::testing::Test {
protected:
    void SetUp() override { room = testkit::populate_newsroom(store, db.url()); }

    store::PolledArticle article(const std::string& guid, const std::string& title,
                                 sys_seconds published, std::vector<tag::TopicMatch> topics,
                                 const std::string& body = "") {
        store::PolledArticle polled;
        polled.item = make_item(guid, title, "https://news.example.test/" + guid, published, body);
        polled.topics = std::move(topics);
        polled.language = "en";
        return polled;
    }
    void store_batch(store::Store& into, std::int64_t feed,
                     std::vector<store::PolledArticle> articles) {
        store::FeedPoll poll;
        poll.feed_id = feed;
        poll.started_at = system_clock::now();
        poll.http_status = 200;
        poll.next_poll_in = minutes{15};
        poll.items_seen = articles.size();
        poll.articles = std::move(articles);
        (void)into.record_poll(poll);
    }
    // The nato articles and stories the rollups hold for the UTC hour starting at `hour`.
    std::string nato_at(sys_seconds hour) {
        auto at = std::to_string(hour.time_since_epoch().count());
        return db.text("SELECT COALESCE(sum(articles), 0) || '/' || COALESCE(sum(stories), 0) FROM "
                       "(SELECT topic, hour, articles, stories FROM topic_hourly UNION ALL "
                       "SELECT topic, hour, articles, stories FROM topic_hourly_changes) r "
                       "WHERE topic = 'nato' AND hour = to_timestamp(" +
                       at + ")");
    }
    // The articles tagged both azerbaijan and nato the pair rollups hold for that hour.
    long long pairs_at(sys_seconds hour) {
        auto at = std::to_string(hour.time_since_epoch().count());
        return db.scalar("SELECT COALESCE(sum(articles), 0) FROM "
                         "(SELECT hour, articles FROM topic_pair_hourly UNION ALL "
                         "SELECT hour, articles FROM topic_pair_hourly_changes) r "
                         "WHERE hour = to_timestamp(" +
                         at + ")");
    }
    void wait_until_a_connection_waits_on_a_lock() {
        for (int i = 0; i < 500 && db.scalar("SELECT count(*) FROM pg_stat_activity "
                                             "WHERE wait_event_type = 'Lock'") == 0;
             ++i)
            std::this_thread::sleep_for(milliseconds{10});
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    testkit::Newsroom room;
    sys_seconds today = testkit::start_of_today();
};

} // namespace

TEST_F(TopicRollups, NewArticlesOverSeveralHoursAndTopicsAreCountedAsStored) {
    expect_rollups_match_articles(db); // the newsroom, with its republications left out
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_hourly_changes"), 0);
    store.use_story_window(seconds{0}); // each a story of its own
    std::vector<store::PolledArticle> batch;
    for (int i = 0; i < 12; ++i)
        batch.push_back(article("h" + std::to_string(i), "Report " + std::to_string(i),
                                today - hours{i % 4} + minutes{i},
                                i % 3 == 0 ? std::vector{topic("nato"), topic("azerbaijan")}
                                           : std::vector{topic("nato")},
                                "Unrelated text number " + std::to_string(i * 7919)));
    store_batch(store, room.wire, batch);
    expect_rollups_match_articles(db);
    EXPECT_EQ(nato_at(today - hours{3}), "3/3");
}

TEST_F(TopicRollups, RepublicationsInABatchCountNothing) {
    // g1 repeats w1 (same title) and g3 repeats w2 (same canonical URL): the newsroom's four nato
    // articles are w1, w2, w3 and ... none of the agency's.
    EXPECT_EQ(db.scalar("SELECT sum(articles) FROM topic_daily WHERE topic = 'nato'"), 3);
    store_batch(store, room.agency,
                {article("g4", "Alliance ministers gather in Brussels", today - days{2} + hours{2},
                         {topic("nato")}),
                 article("g5", "A fresh nato report", today + minutes{5}, {topic("nato")})});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'g4' AND duplicate_of IS NOT "
                        "NULL"),
              1);
    EXPECT_EQ(db.scalar("SELECT sum(articles) FROM topic_daily WHERE topic = 'nato'"), 4);
    expect_rollups_match_articles(db);
}

TEST_F(TopicRollups, AnUpdatedArticleLeavesItsOldHourAndTopics) {
    store_batch(store, room.wire,
                {article("u1", "First version", today - hours{5}, {topic("nato")}, "Early text.")});
    EXPECT_EQ(nato_at(today - hours{5}), "1/1");
    store_batch(
        store, room.wire,
        {article("u1", "Second version", today - hours{2}, {topic("azerbaijan")}, "Later text.")});
    ASSERT_EQ(db.text("SELECT title FROM articles WHERE guid = 'u1'"), "Second version");
    EXPECT_EQ(nato_at(today - hours{5}), "0/0");
    expect_rollups_match_articles(db);
    // and back, with both topics
    store_batch(store, room.wire,
                {article("u1", "Third version", today - hours{5},
                         {topic("nato"), topic("azerbaijan")}, "Early text.")});
    EXPECT_EQ(nato_at(today - hours{5}), "1/1");
    EXPECT_EQ(pairs_at(today - hours{5}), 1);
    expect_rollups_match_articles(db);
    // and to one topic again, in another hour: the pair goes from both hours' counts
    store_batch(
        store, room.wire,
        {article("u1", "Fourth version", today - hours{4}, {topic("azerbaijan")}, "Middle text.")});
    EXPECT_EQ(pairs_at(today - hours{5}), 0);
    EXPECT_EQ(pairs_at(today - hours{4}), 0);
    expect_rollups_match_articles(db);
}

// Reports of one event in one batch open one story: it counts once, in its first report's hour.
TEST_F(TopicRollups, AStoryOpenedBySeveralArticlesOfOneBatchCountsOnce) {
    store_batch(store, room.wire,
                {article("rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                         today - hours{6} + minutes{10}, {topic("nato")}, k_english_report),
                 article("rail-copy", "Rail tariffs on BTK line to fall 12%",
                         today - hours{6} + minutes{40}, {topic("nato")}, k_english_copy)});
    ASSERT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM articles WHERE guid IN ('rail-en', "
                        "'rail-copy')"),
              1);
    EXPECT_EQ(nato_at(today - hours{6}), "2/1");
    expect_rollups_match_articles(db);
}

// A report published before the story's first, stored later by another feed, becomes the first:
// the story moves to its hour and topics.
TEST_F(TopicRollups, AnEarlierReportStoredLaterTakesTheStorysCount) {
    store_batch(store, room.wire,
                {article("rail-copy", "Rail tariffs on BTK line to fall 12%", today - hours{4},
                         {topic("nato")}, k_english_copy)});
    EXPECT_EQ(nato_at(today - hours{4}), "1/1");
    store_batch(
        store, room.agency,
        {article("rail-en", "Azerbaijan and Georgia cut rail freight tariffs", today - hours{7},
                 {topic("nato"), topic("azerbaijan")}, k_english_report)});
    ASSERT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM articles WHERE guid IN ('rail-en', "
                        "'rail-copy')"),
              1);
    EXPECT_EQ(nato_at(today - hours{4}), "1/0");
    EXPECT_EQ(nato_at(today - hours{7}), "1/1");
    expect_rollups_match_articles(db);
}

// Writers only append deltas: a second writer stores and commits while the first still holds
// its transaction open, with articles of the same topics and hours. Story assignment is off
// here: it makes writers take turns on purpose (TwoWritersStoringANewEventAtOnceOpenOneStory).
TEST_F(TopicRollups, TwoWritersAtOnceNeitherWaitsAndBothCount) {
    pqxx::connection first_connection{db.url()}, second_connection{db.url()};
    store::prepare_article_writer(first_connection);
    store::prepare_article_writer(second_connection);
    store::StoryAssigner first_stories{seconds{0}}, second_stories{seconds{0}};
    pqxx::work first{first_connection};
    (void)store::write_articles(
        first, room.wire,
        {article("a1", "One", today + minutes{1}, {topic("nato")}, "Alpha text one."),
         article("a2", "Two", today + minutes{2}, {topic("nato"), topic("azerbaijan")},
                 "Beta text two.")},
        first_stories);
    auto second = std::async(std::launch::async, [&] {
        pqxx::work tx{second_connection};
        (void)store::write_articles(
            tx, room.agency,
            {article("b1", "Three", today + minutes{3}, {topic("nato")}, "Gamma text three."),
             article("b2", "Four", today + minutes{4}, {topic("azerbaijan")}, "Delta text four.")},
            second_stories);
        tx.commit();
    });
    auto waited = second.wait_for(seconds{20});
    first.commit();
    second.get();
    EXPECT_EQ(waited, std::future_status::ready);
    expect_rollups_match_articles(db);
}

TEST_F(TopicRollups, AFoldMovesTheDeltasAndLaterWritesAddToIt) {
    auto before = nato_at(today);
    EXPECT_GT(store::fold_topic_rollups(store.connection()), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topic_hourly_changes"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topic_pair_hourly_changes"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_topic_changes"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM stories WHERE topic_articles <> '{}'"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_feed_hourly"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_pair_hourly"), 0);
    EXPECT_EQ(nato_at(today), before);
    expect_rollups_match_articles(db);
    store_batch(store, room.wire,
                {article("f1", "After the fold", today + seconds{50}, {topic("nato")}, "Fold.")});
    expect_rollups_match_articles(db);
    (void)store::fold_topic_rollups(store.connection());
    expect_rollups_match_articles(db);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topic_hourly_changes"), 0);
}

// A rebuild waits for the writer in flight and then counts its articles; a writer that starts
// meanwhile waits for the rebuild: nothing lost, nothing counted twice.
TEST_F(TopicRollups, ARebuildWhileAnotherConnectionWritesLosesAndDoublesNothing) {
    (void)store::fold_topic_rollups(store.connection());
    pqxx::connection writer_connection{db.url()};
    store::prepare_article_writer(writer_connection);
    store::StoryAssigner stories{hours{72}};
    pqxx::work writer{writer_connection};
    (void)store::write_articles(
        writer, room.wire, {article("r1", "In flight", today + minutes{7}, {topic("nato")}, "In.")},
        stories);
    auto rebuild = std::async(std::launch::async, [&] {
        pqxx::connection connection{db.url()};
        return store::rebuild_topic_rollups(connection);
    });
    wait_until_a_connection_waits_on_a_lock();
    EXPECT_EQ(rebuild.wait_for(milliseconds{200}), std::future_status::timeout);
    writer.commit();
    EXPECT_GT(rebuild.get(), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topic_hourly_changes"), 0);
    expect_rollups_match_articles(db);

    // the other way round: a writer comes while the rebuild has counted and not committed
    pqxx::connection rebuild_connection{db.url()};
    pqxx::work rebuilding{rebuild_connection};
    (void)store::rebuild_topic_rollups(rebuilding);
    auto later = std::async(std::launch::async, [&] {
        store::Store other{db.url()};
        store_batch(other, room.agency,
                    {article("r2", "Later", today + minutes{8}, {topic("nato")}, "Later.")});
    });
    wait_until_a_connection_waits_on_a_lock();
    EXPECT_EQ(later.wait_for(milliseconds{200}), std::future_status::timeout);
    rebuilding.commit();
    later.get();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'r2'"), 1);
    expect_rollups_match_articles(db);
}

// A rebuild refills the tables; the planner must learn their new size at once, not when
// autovacuum comes by, or it plans a month of topic_feed_hourly as if it were empty.
TEST_F(TopicRollups, ARebuildLeavesThePlannerKnowingTheirSize) {
    (void)store::rebuild_topic_rollups(store.connection());
    for (std::string table : {"topic_hourly", "topic_feed_hourly", "topic_pair_hourly"}) {
        auto rows = db.scalar("SELECT count(*) FROM " + table);
        EXPECT_GT(rows, 0) << table;
        EXPECT_EQ(
            db.scalar("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + table + "'"),
            rows)
            << table;
    }
}

// ... but an empty table is not analyzed: recorded as empty, it would be planned as empty, in
// plans that connections keep, for as long as autovacuum left it so.
TEST_F(TopicRollups, ARebuildOfNothingLeavesThemUnanalyzed) {
    db.execute("DELETE FROM article_topics");
    (void)store::rebuild_topic_rollups(store.connection());
    for (std::string table : {"topic_hourly", "topic_feed_hourly", "topic_pair_hourly"}) {
        EXPECT_EQ(db.scalar("SELECT count(*) FROM " + table), 0) << table;
        EXPECT_EQ(
            db.scalar("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + table + "'"), -1)
            << table;
    }
}

TEST_F(TopicRollups, AFetchedPageThatReTagsItsArticleMovesItsCounts) {
    auto id = db.scalar("SELECT id FROM articles WHERE guid = 'w2'");
    db.execute("UPDATE articles SET published_guessed = true WHERE id = " + std::to_string(id));
    store::PageJob job;
    job.article_id = id;
    job.feed_id = room.wire;
    job.title = "Alliance ministers gather in Brussels";
    job.summary = "Defence ministers met at headquarters.";
    parsers::ExtractedArticle page;
    page.content_text = "Ministers of Azerbaijan met in Brussels.";
    page.published = today - hours{9};
    store::record_page(store.connection(), job, page, {topic("azerbaijan")}, std::nullopt,
                       std::nullopt, {});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM article_topics WHERE article_id = " +
                        std::to_string(id) + " AND topic = 'nato'"),
              0);
    expect_rollups_match_articles(db);
}

TEST_F(TopicRollups, RetagAndRestoryLeaveThemMatchingTheArticles) {
    auto tagger = *tag::Tagger::compile({{"nato", "", {"NATO", "НАТО", "Brussels"}, {}, 1},
                                         {"azerbaijan", "", {"Baku", "Bakı"}, {}, 1}});
    // topics changed behind the rollups' back, as a retag does
    (void)store::retag_articles(store.connection(), tagger, {}, nullptr);
    expect_rollups_match_articles(db);
    // Two reports of one event stored as stories of their own (clustering off); restory groups
    // them, and the later one's story count goes to the earlier one's.
    store.use_story_window(seconds{0});
    store_batch(store, room.wire,
                {article("rail-copy", "Rail tariffs on BTK line to fall 12%", today - hours{3},
                         {topic("nato")}, k_english_copy)});
    store_batch(store, room.agency,
                {article("rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                         today - hours{6}, {topic("nato")}, k_english_report)});
    EXPECT_EQ(nato_at(today - hours{3}), "1/1");
    store::RestoryOptions options;
    options.window = hours{72};
    (void)store::restory_articles(store.connection(), options, nullptr);
    ASSERT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM articles WHERE guid IN ('rail-en', "
                        "'rail-copy')"),
              1);
    EXPECT_EQ(nato_at(today - hours{3}), "1/0");
    expect_rollups_match_articles(db);
}

TEST_F(TopicRollups, TheMigrationsFillThemFromTheStoredArticles) {
    db.execute("DROP TABLE topic_hourly, topic_hourly_changes, topic_feed_hourly, "
               "topic_pair_hourly, topic_pair_hourly_changes CASCADE");
    db.execute("DELETE FROM schema_migrations WHERE version IN (16, 21)");
    EXPECT_EQ(store::migrate(store.connection()), 2);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM topic_hourly_changes"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_hourly"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_feed_hourly"), 0);
    EXPECT_GT(db.scalar("SELECT count(*) FROM topic_pair_hourly"), 0);
    expect_rollups_match_articles(db);
    EXPECT_EQ(db.scalar("SELECT sum(articles) FROM topic_daily WHERE topic = 'nato'"), 3);
}

// A story counts the tags of all its articles, each article once per topic, and follows an
// article whose topics change; a story without tags holds {}.
TEST_F(TopicRollups, AStoryCountsTheTopicsOfEveryOneOfItsArticles) {
    auto counts_of = [&](const std::string& guid) {
        (void)store::fold_topic_rollups(store.connection());
        return db.text("SELECT s.topic_articles::text FROM stories s JOIN articles a ON "
                       "a.story_id = s.id WHERE a.guid = '" +
                       guid + "'");
    };
    store_batch(store, room.wire,
                {article("rail-en", "Azerbaijan and Georgia cut rail freight tariffs",
                         today - hours{6}, {topic("nato"), topic("azerbaijan")}, k_english_report),
                 article("rail-copy", "Rail tariffs on BTK line to fall 12%", today - hours{5},
                         {topic("nato")}, k_english_copy)});
    ASSERT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM articles WHERE guid IN ('rail-en', "
                        "'rail-copy')"),
              1);
    EXPECT_EQ(counts_of("rail-en"), R"({"nato": 2, "azerbaijan": 1})");
    store_batch(store, room.wire,
                {article("rail-copy", "Rail tariffs on BTK line to fall 12 percent",
                         today - hours{5}, {}, k_english_copy)});
    EXPECT_EQ(counts_of("rail-en"), R"({"nato": 1, "azerbaijan": 1})");
    store_batch(store, room.wire,
                {article("rail-en", "Azerbaijan and Georgia cut rail tariffs", today - hours{6}, {},
                         k_english_report)});
    EXPECT_EQ(counts_of("rail-en"), "{}");
    expect_rollups_match_articles(db);
    // topic_counts() gives the counts as rows
    store_batch(store, room.wire,
                {article("rail-copy", "Rail tariffs on BTK line to fall", today - hours{5},
                         {topic("azerbaijan")}, k_english_copy)});
    (void)store::fold_topic_rollups(store.connection());
    EXPECT_EQ(db.text("SELECT string_agg(t.topic || '=' || t.articles, ',') FROM stories s "
                      "JOIN articles a ON a.story_id = s.id, topic_counts(s.topic_articles) t "
                      "WHERE a.guid = 'rail-copy'"),
              "azerbaijan=1");
}

TEST_F(TopicRollups, RetentionDeletingWholeStoriesLeavesTheOthersCounted) {
    store_batch(
        store, room.wire,
        {article("old", "An old nato report", today - days{40}, {topic("nato")}, "Old text.")});
    auto old_story = db.scalar("SELECT story_id FROM articles WHERE guid = 'old'");
    (void)store::fold_topic_rollups(store.connection());
    // a delta left for the expired story, as a page fetched just before the purge would leave
    db.execute("INSERT INTO story_topic_changes VALUES (" + std::to_string(old_story) +
               ", 'nato', 1)");
    auto kept_before = db.scalar("SELECT count(*) FROM stories WHERE topic_articles <> '{}' AND "
                                 "last_seen_at >= now() - interval '30 days'");
    auto purged = store::purge_expired_articles(store.connection(), hours{24 * 30}, seconds{30});
    EXPECT_GE(purged.stories, 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'old'"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories WHERE topic_articles <> '{}'"), kept_before);
    // (the hourly rollups keep counting expired articles, on purpose: see the README)
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
    (void)store::fold_topic_rollups(store.connection());
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_topic_changes"), 0);
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
}

TEST_F(TopicRollups, ARebuildRecountsEachStorysTopics) {
    db.execute("UPDATE stories SET topic_articles = '{\"nato\": 9}'");
    EXPECT_NE(db.text(k_story_topic_mismatches), "");
    (void)store::rebuild_topic_rollups(store.connection());
    expect_rollups_match_articles(db);
}

TEST_F(TopicRollups, TheMigrationCountsEachStorysTopicsFromTheStoredTags) {
    db.execute("DROP FUNCTION topic_counts_add(jsonb, jsonb), topic_counts(jsonb)");
    db.execute("ALTER TABLE stories DROP COLUMN topic_articles");
    db.execute("DROP TABLE story_topic_changes");
    db.execute("DELETE FROM schema_migrations WHERE version IN (24, 26)");
    EXPECT_EQ(store::migrate(store.connection()), 2);
    EXPECT_GT(db.scalar("SELECT count(*) FROM stories WHERE topic_articles <> '{}'"), 0);
    expect_rollups_match_articles(db);
    // and the writer keeps them
    store_batch(store, room.wire,
                {article("m1", "A report after the migration", today + minutes{3},
                         {topic("azerbaijan")}, "After.")});
    (void)store::fold_topic_rollups(store.connection());
    EXPECT_EQ(db.text("SELECT s.topic_articles::text FROM stories s JOIN articles a ON "
                      "a.story_id = s.id WHERE a.guid = 'm1'"),
              R"({"azerbaijan": 1})");
}

// restory moves articles between stories in batches and recounts each batch's stories, so that
// an interrupted restory leaves them right (its closing rebuild would hide a miss here).
TEST_F(TopicRollups, RecountingMovedStoriesCarriesTheirTopics) {
    auto w1_story = db.scalar("SELECT story_id FROM articles WHERE guid = 'w1'");
    auto w2_story = db.scalar("SELECT story_id FROM articles WHERE guid = 'w2'");
    db.execute("UPDATE articles SET story_id = " + std::to_string(w1_story) + " WHERE guid = 'w2'");
    EXPECT_NE(db.text(k_story_topic_mismatches), "");
    pqxx::work tx{store.connection()};
    store::update_story_rows(tx, {w1_story, w2_story});
    tx.commit();
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
}

// A fold never waits on a story row: a story another transaction holds (a writer adding to it,
// restory, retention) keeps its deltas for the next fold, and the others are folded.
TEST_F(TopicRollups, AFoldSkipsTheStoriesAnotherTransactionHolds) {
    auto held = db.scalar("SELECT story_id FROM articles WHERE guid = 'w1'");
    pqxx::connection other{db.url()};
    pqxx::work holding{other};
    (void)holding.exec1("SELECT id FROM stories WHERE id = " + std::to_string(held) +
                        " FOR UPDATE");
    auto fold = std::async(std::launch::async, [&] {
        pqxx::connection connection{db.url()};
        return store::fold_topic_rollups(connection);
    });
    ASSERT_EQ(fold.wait_for(seconds{20}), std::future_status::ready);
    EXPECT_GT(fold.get(), 0);
    EXPECT_EQ(db.scalar("SELECT count(DISTINCT story_id) FROM story_topic_changes"), 1);
    EXPECT_EQ(db.scalar("SELECT min(story_id) FROM story_topic_changes"), held);
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
    holding.commit();
    (void)store::fold_topic_rollups(store.connection());
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_topic_changes"), 0);
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
}

// `rollups rebuild` deletes the deltas, then recounts (and so locks) the stories: restory's
// recount must not wait on deltas a rebuild has deleted and not committed, or the two deadlock.
TEST_F(TopicRollups, RestorysRecountDoesNotWaitOnDeltasARebuildHolds) {
    auto story = db.scalar("SELECT story_id FROM articles WHERE guid = 'w1'");
    ASSERT_GT(db.scalar("SELECT count(*) FROM story_topic_changes WHERE story_id = " +
                        std::to_string(story)),
              0);
    pqxx::connection rebuild_connection{db.url()};
    pqxx::work rebuilding{rebuild_connection};
    rebuilding.exec0("DELETE FROM story_topic_changes");
    auto recount = std::async(std::launch::async, [&] {
        pqxx::connection connection{db.url()};
        pqxx::work tx{connection};
        store::update_story_rows(tx, {story});
        tx.commit();
    });
    auto waited = recount.wait_for(seconds{10});
    rebuilding.abort();
    recount.get();
    EXPECT_EQ(waited, std::future_status::ready);
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
    (void)store::fold_topic_rollups(store.connection());
    EXPECT_EQ(db.text(k_story_topic_mismatches), "");
}

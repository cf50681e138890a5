#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "newsroom.hpp"
#include "service/feed_articles.hpp"
#include "store/article_retention.hpp"
#include "store/migrations.hpp"
#include "store/search.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono;
using testkit::make_item;
using testkit::topic;

namespace {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override { room = testkit::populate_newsroom(store, db.url()); }

    long long id_of(const std::string& guid) {
        return db.scalar("SELECT id FROM articles WHERE guid = '" + guid + "'");
    }
    // `newsmon search` with the newsroom's topics in its config, as JSON.
    nlohmann::json search(cli::SearchCommand command) {
        auto path = std::filesystem::temp_directory_path() /
                    ("newsmon-store-search-" + std::to_string(getpid()) + ".toml");
        std::ofstream(path) << "[database]\nurl = \"" << db.url()
                            << "\"\n[[topic]]\nname = \"nato\"\nterms = [\"NATO\"]\n"
                            << "[[topic]]\nname = \"azerbaijan\"\nterms = [\"Azerbaijan*\"]\n";
        command.json = true;
        ::testing::internal::CaptureStdout();
        cli::command_search({path.string(), "warn"}, command);
        std::string printed = ::testing::internal::GetCapturedStdout();
        std::filesystem::remove(path);
        return printed.empty() ? nlohmann::json::array() : nlohmann::json::parse(printed);
    }
    std::vector<std::string> titles(const nlohmann::json& hits) {
        std::vector<std::string> out;
        for (const auto& hit : hits)
            out.push_back(hit["title"].get<std::string>());
        return out;
    }
    std::vector<std::string> search_titles(const std::string& query) {
        cli::SearchCommand command;
        command.query = query;
        return titles(search(command));
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    testkit::Newsroom room;
};

} // namespace

TEST_F(StoreTest, ARepeatedItemChangesNothing) {
    auto today = testkit::start_of_today();
    auto again = testkit::store_items(
        store, room.wire,
        {make_item("w1", "NATO envoys meet the president in Baku", "https://wire.example.test/1",
                   today + seconds{20}, "The Partnership for Peace programme was discussed.")},
        {{topic("nato", 5, true), topic("azerbaijan", 4, true)}});
    EXPECT_EQ(again.items_new, 0);
    EXPECT_EQ(again.items_updated, 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE updated_at IS NOT NULL"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 6);
}

// A feed without conditional GET sends the same items at every poll. Such a batch changes
// nothing, so the writer stops at the stored hashes and does not queue behind what holds the
// tables it would write: here a `rollups rebuild` in progress, which holds every writer of new
// articles until it commits.
TEST_F(StoreTest, ABatchOfRepeatsDoesNotWaitForARollupRebuild) {
    auto today = testkit::start_of_today();
    auto repeat =
        make_item("w1", "NATO envoys meet the president in Baku", "https://wire.example.test/1",
                  today + seconds{20}, "The Partnership for Peace programme was discussed.");
    std::vector<std::vector<tag::TopicMatch>> topics{
        {topic("nato", 5, true), topic("azerbaijan", 4, true)}};
    pqxx::connection rebuild_connection{db.url()};
    pqxx::work rebuilding{rebuild_connection};
    (void)store::rebuild_topic_rollups(rebuilding);

    auto again = std::async(std::launch::async, [&] {
        store::Store other{db.url()};
        return testkit::store_items(other, room.wire, {repeat}, topics);
    });
    auto waited = again.wait_for(seconds{10});
    if (waited != std::future_status::ready)
        rebuilding.commit(); // lets the waiting writer end, so that the failure is reported
    ASSERT_EQ(waited, std::future_status::ready);
    EXPECT_EQ(again.get().items_new, 0);

    // a new article beside the repeat does wait, until the rebuild commits
    auto with_new = std::async(std::launch::async, [&] {
        store::Store other{db.url()};
        return testkit::store_items(
            other, room.wire,
            {repeat, make_item("w9", "A new report", "https://wire.example.test/9",
                               today + seconds{40}, "Fresh text.")},
            {topics[0], {}});
    });
    EXPECT_EQ(with_new.wait_for(milliseconds{500}), std::future_status::timeout);
    rebuilding.commit();
    EXPECT_EQ(with_new.get().items_new, 1);
}

TEST_F(StoreTest, AChangedItemIsUpdatedInPlaceKeepingItsId) {
    long long id = id_of("w2");
    auto outcome = testkit::store_items(
        store, room.wire,
        {make_item("w2", "Alliance ministers agree on a new plan", "https://wire.example.test/2",
                   testkit::start_of_today() - days{2}, "Defence ministers met at headquarters.")},
        {{topic("nato", 2)}});
    EXPECT_EQ(outcome.items_new, 0);
    EXPECT_EQ(outcome.items_updated, 1);
    EXPECT_EQ(id_of("w2"), id);
    EXPECT_EQ(db.text("SELECT title FROM articles WHERE guid = 'w2'"),
              "Alliance ministers agree on a new plan");
    EXPECT_EQ(
        db.scalar("SELECT count(*) FROM articles WHERE guid = 'w2' AND updated_at IS NOT NULL"), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'w2' AND "
                        "search @@ websearch_to_tsquery('english', 'plan')"),
              1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log WHERE items_updated = 1"), 1);
}

// articles.search is written with the row (0019): computed by the writer for a new article, by
// the trigger when the text changes any other way, and left alone when it does not.
TEST_F(StoreTest, TheSearchVectorFollowsTheTextWhateverWritesIt) {
    auto stale = [&] {
        return db.scalar("SELECT count(*) FROM articles WHERE search IS DISTINCT FROM "
                         "article_search_vector(title, summary, content_text)");
    };
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE search IS NULL"), 0);
    EXPECT_EQ(stale(), 0);
    // a page's text, as the page writer stores it
    db.execute("UPDATE articles SET content_text = 'Ministers signed a pipeline accord.' "
               "WHERE guid = 'w2'");
    EXPECT_EQ(stale(), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'w2' AND "
                        "search @@ websearch_to_tsquery('english', 'pipeline')"),
              1);
    // another column: the vector is not computed again
    db.execute("UPDATE articles SET search = 'untouched' WHERE guid = 'w2'");
    db.execute("UPDATE articles SET page_attempts = 1, title = title WHERE guid = 'w2'");
    EXPECT_EQ(db.text("SELECT search::text FROM articles WHERE guid = 'w2'"), "'untouched'");
}

TEST_F(StoreTest, ChangedTopicsReplaceTheOldOnes) {
    testkit::store_items(
        store, room.wire,
        {make_item("w1", "NATO envoys meet the president in Baku", "https://wire.example.test/1",
                   testkit::start_of_today() + seconds{20}, "Now only NATO.")},
        {{topic("nato", 7, true)}});
    EXPECT_EQ(db.text("SELECT string_agg(topic || ':' || score, ',' ORDER BY topic) "
                      "FROM article_topics WHERE article_id = " +
                      std::to_string(id_of("w1"))),
              "nato:7");
}

TEST_F(StoreTest, TopicsAreStoredWithScoreHitsTermsAndTitleFlag) {
    EXPECT_EQ(
        db.text("SELECT score || '/' || hits || '/' || matched_terms::text || '/' || in_title "
                "FROM article_topics WHERE topic = 'nato' AND article_id = " +
                std::to_string(id_of("w1"))),
        "5/5/{nato}/true");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM article_topics"), 9);
}

TEST_F(StoreTest, RepublicationsPointAtTheFirstStory) {
    // g1: same normalized title within 48 hours; g3: same canonical URL.
    EXPECT_EQ(db.scalar("SELECT duplicate_of FROM articles WHERE guid = 'g1'"), id_of("w1"));
    EXPECT_EQ(db.scalar("SELECT duplicate_of FROM articles WHERE guid = 'g3'"), id_of("w2"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"), 2);
}

TEST_F(StoreTest, SameTitleMoreThan48HoursApartOrFromTheSameFeedIsNoDuplicate) {
    auto today = testkit::start_of_today();
    testkit::store_items(store, room.agency,
                         {make_item("g9", "Alliance ministers gather in Brussels",
                                    "https://agency.example.test/99", today + days{1}, "")},
                         {{}});
    testkit::store_items(store, room.wire,
                         {make_item("w9", "NATO envoys meet the president in Baku",
                                    "https://wire.example.test/9", today, "")},
                         {{}});
    EXPECT_EQ(
        db.text("SELECT coalesce(duplicate_of::text, 'none') FROM articles WHERE guid = 'g9'"),
        "none");
    EXPECT_EQ(
        db.text("SELECT coalesce(duplicate_of::text, 'none') FROM articles WHERE guid = 'w9'"),
        "none");
}

TEST_F(StoreTest, AGuidRepeatedWithinOneBatchKeepsTheFirst) {
    auto today = testkit::start_of_today();
    auto outcome = testkit::store_items(
        store, room.wire,
        {make_item("dup", "First", "https://wire.example.test/d1", today, ""),
         make_item("dup", "Second", "https://wire.example.test/d2", today, "")},
        {{}, {}});
    EXPECT_EQ(outcome.items_new, 1);
    EXPECT_EQ(db.text("SELECT title FROM articles WHERE guid = 'dup'"), "First");
}

TEST_F(StoreTest, PublishedAtFallsBackToFirstSeen) {
    parsers::Item undated =
        make_item("nodate", "Undated", "https://wire.example.test/nd", testkit::start_of_today());
    undated.published.reset();
    testkit::store_items(store, room.wire, {undated}, {{}});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'nodate' "
                        "AND published_at = first_seen_at"),
              1);
}

TEST_F(StoreTest, SearchFindsRussianInflectionsAndAzerbaijaniWordsAsWritten) {
    EXPECT_EQ(search_titles("envoy*"),
              std::vector<std::string>{"NATO envoys meet the president in Baku"});
    EXPECT_EQ(search_titles("Азербайджан"),
              std::vector<std::string>{"Азербайджан и НАТО обсудили сотрудничество"});
    // another case form of a word in the text
    EXPECT_EQ(search_titles("сотрудничества").size(), 1u);
    EXPECT_EQ(search_titles("Bakı"), std::vector<std::string>{"Caspian energy talks in Baku"});
}

TEST_F(StoreTest, SearchFiltersByTopicAndAgeNewestFirstWithoutRepublications) {
    cli::SearchCommand command;
    command.query = "NATO OR Baku OR ministers";
    auto all = search(command);
    EXPECT_EQ(titles(all), (std::vector<std::string>{"NATO envoys meet the president in Baku",
                                                     "Alliance ministers gather in Brussels",
                                                     "Caspian energy talks in Baku"}));
    EXPECT_EQ(all[0]["topics"], nlohmann::json({"azerbaijan", "nato"}));
    command.topic = "azerbaijan";
    command.since = "120h";
    EXPECT_EQ(titles(search(command)),
              std::vector<std::string>{"NATO envoys meet the president in Baku"});
    command.topic.clear();
    command.since.clear();
    command.limit = 1;
    EXPECT_EQ(search(command).size(), 1u);
}

TEST_F(StoreTest, ViewsShowTaggedStoriesOnceAndFeedHealth) {
    EXPECT_EQ(db.scalar("SELECT count(*) FROM tagged_articles"), 4);
    EXPECT_EQ(db.text("SELECT topics::text FROM tagged_articles WHERE title LIKE 'NATO envoys%'"),
              "{azerbaijan,nato}");
    EXPECT_EQ(db.text("SELECT feed FROM tagged_articles WHERE title LIKE 'Caspian%'"), "Agency");
    EXPECT_EQ(db.scalar("SELECT sum(articles) FROM topic_daily WHERE topic = 'nato'"), 3);
    EXPECT_EQ(db.text("SELECT articles_24h || '/' || consecutive_failures FROM feed_health "
                      "WHERE feed = 'Wire'"),
              "3/0");
    EXPECT_EQ(db.text("SELECT consecutive_failures || ' ' || last_http_status || ' ' || last_error "
                      "FROM feed_health WHERE feed = 'Failing'"),
              "3 503 HTTP status 503");
}

TEST_F(StoreTest, AnalystRoleMayReadButNotWrite) {
    EXPECT_EQ(db.text("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'newsmon_analyst'"),
              "false");
    for (const char* relation : {"feeds", "articles", "topics", "article_topics", "fetch_log",
                                 "tagged_articles", "topic_daily", "feed_health"})
        EXPECT_EQ(db.text(std::string("SELECT has_table_privilege('newsmon_analyst', '") +
                          relation + "', 'SELECT')::text"),
                  "true")
            << relation;
    EXPECT_EQ(db.text("SELECT has_table_privilege('newsmon_analyst', 'articles', 'INSERT')::text"),
              "false");
}

TEST_F(StoreTest, FetchLogOlderThanTheRetentionIsPurged) {
    {
        pqxx::connection connection{db.url()};
        pqxx::work tx{connection};
        tx.exec0("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" +
                 std::to_string(room.wire) + ", now() - interval '40 days', 5)");
        tx.commit();
    }
    long long before = db.scalar("SELECT count(*) FROM fetch_log");
    EXPECT_EQ(store.purge_fetch_log(hours{24 * 30}), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), before - 1);
}

// [retention] articles: stories wholly older than the retention go with everything that hangs
// on their articles; a story still running keeps its old reports; a copy outlives its original.
TEST_F(StoreTest, ArticleRetentionDeletesWholeStoriesPastItAndWhatHangsOnThem) {
    auto long_ago = floor<seconds>(system_clock::now()) - hours{24 * 800};
    long long recent_articles = db.scalar("SELECT count(*) FROM articles");
    (void)testkit::store_items(
        store, room.wire,
        {make_item("old-a", "NATO opened a liaison office in Baku", "https://wire.test/old-a",
                   long_ago, "The office opened today."),
         make_item("old-b", "Caspian ferry timetable changes", "https://wire.test/old-b",
                   long_ago + hours{1}, "Ferries run twice a week."),
         make_item("old-running", "Pipeline talks resume", "https://wire.test/old-running",
                   long_ago + hours{2}, "The talks go on.")},
        {{topic("nato")}, {}, {}});
    (void)testkit::store_items(store, room.agency,
                               {make_item("copy-of-old-a", "NATO liaison office in Baku, again",
                                          "https://agency.test/copy", long_ago + days{10})},
                               {{topic("nato")}});
    // The copy (ten days later: beyond the story window) sits in a story of its own that is
    // still running, as is the talks' story.
    db.execute("UPDATE articles SET duplicate_of = (SELECT id FROM articles WHERE guid = 'old-a') "
               "WHERE guid = 'copy-of-old-a'");
    db.execute("UPDATE stories SET last_seen_at = now() WHERE id IN (SELECT story_id FROM articles "
               "WHERE guid IN ('copy-of-old-a', 'old-running'))");
    db.execute("INSERT INTO story_signatures (article_id, story_id, published_at, signature) "
               "SELECT id, story_id, published_at, '\\x00' FROM articles WHERE guid = 'old-b' "
               "ON CONFLICT DO NOTHING");
    (void)store::fold_topic_rollups(store.connection());
    long long counted = db.scalar("SELECT coalesce(sum(articles), 0) FROM topic_hourly");
    long long old_a = id_of("old-a");

    // One story per transaction: the loop goes on until none is left.
    auto purged =
        store::purge_expired_articles(store.connection(), hours{24 * 730}, seconds{30}, 1);
    EXPECT_EQ(purged.stories, 2);
    EXPECT_EQ(purged.articles, 2);
    EXPECT_TRUE(purged.finished);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid IN ('old-a', 'old-b')"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), recent_articles + 2);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM article_topics WHERE article_id = " +
                        std::to_string(old_a)),
              0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories s WHERE NOT EXISTS "
                        "(SELECT 1 FROM articles a WHERE a.story_id = s.id)"),
              0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM story_signatures g WHERE NOT EXISTS "
                        "(SELECT 1 FROM articles a WHERE a.id = g.article_id)"),
              0);
    EXPECT_EQ(db.article_column("copy-of-old-a", "duplicate_of"), "");
    EXPECT_EQ(db.article_column("old-running", "guid"), "old-running");
    // The rollups keep what they counted: trends reach further back than the articles.
    EXPECT_EQ(db.scalar("SELECT coalesce(sum(articles), 0) FROM topic_hourly"), counted);
    // Nothing is left to purge, and "0s" keeps everything.
    auto again = store::purge_expired_articles(store.connection(), hours{24 * 730}, seconds{30});
    EXPECT_EQ(again.stories, 0);
    EXPECT_EQ(store::purge_expired_articles(store.connection(), hours{0}, seconds{30}).stories, 0);
}

// A first purge of years is spread over calls: each stops once its time is up.
TEST_F(StoreTest, ArticleRetentionStopsWhenItsTimeIsUpAndTheNextCallGoesOn) {
    auto long_ago = floor<seconds>(system_clock::now()) - hours{24 * 800};
    std::vector<parsers::Item> items;
    std::vector<std::vector<tag::TopicMatch>> topics;
    // Stored newest first, so that the table's own order is not the age order.
    for (int i = 2; i >= 0; --i) {
        items.push_back(make_item("old-" + std::to_string(i),
                                  "Old report number " + std::to_string(i) + " on weather",
                                  "https://wire.test/old-" + std::to_string(i),
                                  long_ago + days{5 * i})); // beyond the story window
        topics.emplace_back();
    }
    (void)testkit::store_items(store, room.wire, items, topics);
    auto first = store::purge_expired_articles(store.connection(), hours{24 * 730}, seconds{0}, 1);
    EXPECT_EQ(first.stories, 1);
    EXPECT_FALSE(first.finished);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'old-0'"), 0)
        << "the oldest story goes first";
    std::int64_t stories = first.stories;
    for (int call = 0; call < 5 && stories < 3; ++call)
        stories += store::purge_expired_articles(store.connection(), hours{24 * 730}, seconds{0}, 1)
                       .stories;
    EXPECT_EQ(stories, 3);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid LIKE 'old-%'"), 0);
}

// An item older than the retention would be purged within the hour and then stored (and
// alerted on) again at every poll: it is not stored at all.
TEST_F(StoreTest, AnItemOlderThanTheArticleRetentionIsNotStored) {
    auto config = testkit::newsroom_config(db.url());
    config.retention.articles = hours{24 * 730};
    auto now = floor<seconds>(system_clock::now());
    parsers::Feed feed;
    feed.items = {
        make_item("ancient", "An old item", "https://wire.test/ancient", now - hours{24 * 731}),
        make_item("recent", "A new item", "https://wire.test/recent", now - hours{1}),
        make_item("undated", "An undated item", "https://wire.test/undated", now)};
    feed.items[2].published.reset();
    auto tagger = tag::Tagger::compile(config.topics);
    ASSERT_TRUE(tagger);
    auto articles = service::feed_articles(feed, config, nullptr, *tagger);
    std::vector<std::string> guids;
    for (const auto& article : articles)
        guids.emplace_back(article.item.guid);
    EXPECT_EQ(guids, (std::vector<std::string>{"recent", "undated"}));
    config.retention.articles = hours{0};
    feed.items = {
        make_item("ancient", "An old item", "https://wire.test/ancient", now - hours{24 * 731})};
    EXPECT_EQ(service::feed_articles(feed, config, nullptr, *tagger).size(), 1U);
}

TEST_F(StoreTest, TopicsFollowTheConfig) {
    auto config = testkit::newsroom_config(db.url());
    config.topics[0].description = "North Atlantic Treaty Organization";
    config.topics.push_back({"caucasus", "", {"Caucasus"}, {}, 2});
    store.sync_topics(config);
    EXPECT_EQ(db.text("SELECT description FROM topics WHERE name = 'nato'"),
              "North Atlantic Treaty Organization");
    EXPECT_EQ(db.text("SELECT terms::text || min_score FROM topics WHERE name = 'caucasus'"),
              "{Caucasus}2");
}

TEST_F(StoreTest, SearchCommandPrintsNewestFirstAsTextOrJson) {
    auto path = std::filesystem::temp_directory_path() /
                ("newsmon-search-" + std::to_string(getpid()) + ".toml");
    std::ofstream(path) << "[database]\nurl = \"" << db.url()
                        << "\"\n[[topic]]\nname = \"nato\"\nterms = [\"NATO\"]\n";
    cli::SearchCommand command;
    command.query = "Baku";
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(cli::command_search({path.string(), "warn"}, command), cli::k_exit_ok);
    std::string text = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(
        text.find("Wire  NATO envoys meet the president in Baku  https://wire.example.test/1\n"),
        std::string::npos)
        << text;
    EXPECT_LT(text.find("NATO envoys"), text.find("Caspian energy talks"));

    command.json = true;
    command.topic = "nato";
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(cli::command_search({path.string(), "warn"}, command), cli::k_exit_ok);
    auto json = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    ASSERT_EQ(json.size(), 1u);
    EXPECT_EQ(json[0]["title"], "NATO envoys meet the president in Baku");
    EXPECT_EQ(json[0]["topics"], nlohmann::json({"azerbaijan", "nato"}));

    command.since = "soon";
    EXPECT_EQ(cli::command_search({path.string(), "warn"}, command), cli::k_exit_usage);
    std::filesystem::remove(path);
}

// Every topic row a writer stores is checked against `articles` by its foreign key, with a plan
// each connection makes once and keeps. Made while the table is new, that plan must still use
// the primary key: a table analyzed while empty (a migration's ANALYZE on a new install) was
// planned as empty, every check read the whole table, and a first cycle slowed as it grew.
TEST_F(StoreTest, AWritersForeignKeyChecksOnANewDatabaseReadThePrimaryKey) {
    auto today = testkit::start_of_today();
    constexpr int k_batches = 30, k_per_batch = 20;
    const std::string other_backends = "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                       "current_database() AND pid <> pg_backend_pid()";
    const long long backends_before = db.scalar(other_backends);
    {
        store::Store writer{db.url()}; // a new connection, whose first checks see six articles
        for (int batch = 0; batch < k_batches; ++batch) {
            std::vector<parsers::Item> items;
            std::vector<std::vector<tag::TopicMatch>> topics;
            for (int n = 0; n < k_per_batch; ++n) {
                std::string id = std::to_string(batch) + "-" + std::to_string(n);
                items.push_back(make_item("fk" + id, "Report " + id + " on NATO in Baku",
                                          "https://wire.example.test/fk/" + id,
                                          today + seconds{batch * 60 + n}, "Text " + id + "."));
                topics.push_back({topic("nato", 5, true), topic("azerbaijan", 4, true)});
            }
            ASSERT_EQ(testkit::store_items(writer, room.wire, items, topics).items_new,
                      k_per_batch);
        }
    }
    // a backend's counters reach the server's statistics by the time it has gone
    for (int wait = 0; wait < 100 && db.scalar(other_backends) > backends_before; ++wait)
        std::this_thread::sleep_for(milliseconds{50});
    // 600 articles and 1,200 topic rows: reading the table at each check reads about 360,000 rows
    EXPECT_LT(db.scalar("SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'articles'"),
              20'000);
}

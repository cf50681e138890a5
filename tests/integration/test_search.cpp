// `newsmon search` against `newsmon alert test`: one query language, one matcher. Articles in
// four languages are written through the store's own path (so their words are kept), and
// every query must find the same articles both ways, search newest first.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "newsroom.hpp"
#include "store/migrations.hpp"
#include "store/search.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono_literals;

namespace {

struct Story {
    std::string feed; // Wire, Agency or Failing
    std::string title;
    std::string body;
    std::string language;
    std::vector<std::string> topics;
    std::string content_text = {};
};

// Newest first in the order given: the first story is published last.
const std::vector<Story> k_stories{
    {"Wire",
     "NATO envoys meet the president in Baku",
     "The Partnership for Peace programme was discussed. Rutte arrived in Baku on Monday.",
     "en",
     {"nato", "azerbaijan"}},
    {"Agency",
     "Stoltenberg recalls his visits",
     "Jens Stoltenberg said one two three four five six seven eight Baku.",
     "en",
     {"nato"}},
    {"Wire",
     "Azerbaijani diplomats at the alliance's liaison offices",
     "Liaison offices of NATO opened; the allies welcomed Azerbaijan.",
     "en",
     {"nato", "azerbaijan"}},
    {"Agency",
     "Королёв прибыл в Баку",
     "Встреча с представителями НАТО прошла в Баку. Партнёрство ради мира обсуждалось.",
     "ru",
     {"nato", "azerbaijan"}},
    {"Wire",
     "Королев и НАТО",
     "Заседание Североатлантического совета, ёлка и елка.",
     "ru",
     {"nato"}},
    // ё written as е + U+0308, as some systems decompose it
    {"Agency",
     "Партне\xCC\x88рство",
     "Представители Азербайджана говорили о партнёрстве.",
     "ru",
     {"azerbaijan"}},
    {"Wire",
     "BAKI'DA NATO TOPLANTISI",
     "Azərbaycanın xarici siyasəti: NATO-nun Əlaqələndirmə Bürosunun iclası Bakıda keçirilib.",
     "az",
     {"nato", "azerbaijan"}},
    {"Agency",
     "Şimali Atlantika Şurasının iclası",
     "İLHAM ƏLİYEV və Rutte Bakıda görüşdü. Azerbaycan~ xəbərləri.",
     "az",
     {"azerbaijan"}},
    {"Wire",
     "Azərbaycan Respublikası",
     "Илһам Әлијев Азәрбајҹан Республикасы президенти.",
     "az",
     {"azerbaijan"}},
    {"Agency",
     "NATO İrtibat Bürosunun açılışı",
     "Barış İçin Ortaklığı programı İSTANBUL'DA ve Bakü'de konuşuldu.",
     "tr",
     {"nato"}},
    {"Wire",
     "Türkiye ve Azerbaycan",
     "Ankara'da ITTIFAK görüşmesi; bakım ve bakır fiyatları.",
     "tr",
     {"azerbaijan"}},
    {"Agency", "Senator speaks on weather", "The senatorial race and the sunny weather.", "en", {}},
    {"Wire",
     "Caspian energy talks",
     "Shah Deniz gas and the Southern Gas Corridor.",
     "en",
     {"azerbaijan"},
     "Full text: SOCAR and BP discussed the Shah Deniz expansion with NATO."},
    {"Agency", "Sport: Neftçi wins", "Neftçi Bakı beat Qarabağ in the league.", "az", {}},
    {"Wire",
     "Partnership for Peace at thirty",
     "Allies marked the anniversary in Brussels.",
     "en",
     {"nato"}},
    {"Agency",
     "Rutte in Ankara",
     "NATO secretary general Mark Rutte met Turkish ministers.",
     "en",
     {"nato"}},
};

const std::vector<std::string> k_queries{
    "NATO",
    "nato",
    "НАТО",
    "Baku",
    "Bakı",
    "BAKI",
    "Baki*",
    "Bakı*",
    "Баку",
    "Королев",
    "Королёв",
    "Партнерство",
    "елка",
    "\"Partnership for Peace\"",
    "\"Партнерство ради мира\"",
    "NATO Baku",
    "NATO AND Baku",
    "NATO OR НАТО",
    "(NATO OR НАТО) AND (Baku OR Bakı OR Баку)",
    "NATO NOT Baku",
    "NATO AND NOT (Baku OR Brussels)",
    "NATO NEAR/3 Baku",
    "Rutte NEAR/5 Baku",
    "(Rutte OR Stoltenberg) NEAR/5 Baku",
    "Baku NEAR/8 (Rutte OR Stoltenberg)",
    "(Rutte OR Stoltenberg) NEAR/10 (Baku OR Bakı)",
    "Azerbaijan*",
    "Azərbaycan*",
    "Azərbaycan",
    "Azerbaycan~",
    "Азербайдж*",
    "title:NATO",
    "title:(NATO OR Королев)",
    "title:NATO NOT Baku",
    "topic:nato",
    "topic:azerbaijan NOT topic:nato",
    "topic:nato Baku",
    "feed:Wire NATO",
    "feed:Agency OR lang:tr",
    "lang:ru",
    "lang:az Bakı",
    "lang:tr İstanbul",
    "ITTIFAK",
    "İttifak",
    "Bakı NOT bakım",
    "liaison office",
    "\"North Atlantic Council\" OR \"Североатлантический совет\"",
    "Əliyev",
    "İlham Əliyev",
    "Azərbaycan Respublikası",
    "SHAPE!",
    "NATO!",
    "Nato!",
    "SOCAR",
    "Shah Deniz",
    "senator",
};

class SearchTest : public ::testing::Test {
protected:
    SearchTest() {
        store::migrate(store.connection());
        auto config = testkit::newsroom_config(db.url());
        store.sync_feeds(config);
        store.sync_topics(config);
        std::ofstream file(m_config);
        file << "[database]\nurl = \"" << db.url() << "\"\n";
        for (const auto& feed : config.feeds)
            file << "\n[[feed]]\nname = \"" << feed.name << "\"\nurl = \"" << feed.url << "\"\n";
        for (const auto& topic : config.topics)
            file << "\n[[topic]]\nname = \"" << topic.name << "\"\nterms = [\"" << topic.terms[0]
                 << "\"]\n";
        for (const auto& feed : store.enabled_feeds())
            m_feeds[feed.name] = feed.id;
        write_stories();
    }
    ~SearchTest() override { std::filesystem::remove(m_config); }

    void write_stories() {
        auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        for (std::size_t i = 0; i < k_stories.size(); ++i) {
            const Story& story = k_stories[i];
            store::FeedPoll poll;
            poll.feed_id = m_feeds.at(story.feed);
            poll.started_at = std::chrono::system_clock::now();
            poll.http_status = 200;
            poll.items_seen = 1;
            store::PolledArticle article;
            article.item =
                testkit::make_item("s" + std::to_string(i), story.title,
                                   "https://news.example.test/" + std::to_string(i),
                                   now - std::chrono::hours(static_cast<int>(i) + 1), story.body);
            for (const auto& name : story.topics)
                article.topics.push_back(testkit::topic(name));
            article.content_text = story.content_text;
            article.language = story.language;
            poll.articles.push_back(std::move(article));
            poll.next_poll_in = 15min;
            store.record_poll(poll);
        }
    }

    // The article ids `alert test` finds, ascending.
    std::vector<long long> alert_test(const std::string& query) {
        cli::AlertCommand command;
        command.action = "test";
        command.query = query;
        command.since = "3650d";
        command.limit = 1000;
        command.json = true;
        ::testing::internal::CaptureStdout();
        int status = cli::command_alert({m_config.string(), "warn"}, command);
        std::string printed = ::testing::internal::GetCapturedStdout();
        EXPECT_EQ(status, 0) << query;
        std::vector<long long> ids;
        for (const auto& hit : nlohmann::json::parse(printed))
            ids.push_back(hit["article_id"].get<long long>());
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    // What `search` prints, as JSON, and its exit status.
    nlohmann::json search(cli::SearchCommand command, int* status = nullptr) {
        command.json = true;
        command.limit = command.limit == 20 ? 1000 : command.limit;
        ::testing::internal::CaptureStdout();
        int result = cli::command_search({m_config.string(), "warn"}, command);
        std::string printed = ::testing::internal::GetCapturedStdout();
        if (status)
            *status = result;
        return printed.empty() ? nlohmann::json::array() : nlohmann::json::parse(printed);
    }

    std::vector<long long> search_ids(const std::string& query) {
        cli::SearchCommand command;
        command.query = query;
        auto hits = search(command);
        std::vector<long long> ids;
        for (std::size_t i = 0; i < hits.size(); ++i) {
            ids.push_back(hits[i]["id"].get<long long>());
            if (i > 0) { // newest first
                EXPECT_GE(hits[i - 1]["published_at"].get<std::string>(),
                          hits[i]["published_at"].get<std::string>())
                    << query;
            }
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    // Adds `count` articles of the Wire, a day old and older, three to a publication time,
    // whose words are `words` (an SQL expression over their number i).
    void add_articles(int count, const std::string& words) {
        db.execute("INSERT INTO articles (feed_id, guid, title, published_at, content_hash, "
                   "story_id, words) SELECT " +
                   std::to_string(m_feeds.at("Wire")) +
                   ", 'bulk' || i, 'Bulk ' || i, now() - interval '1 day' - (i / 3) * "
                   "interval '7 minutes', md5(i::text), 1000000 + i, " +
                   words + " FROM generate_series(1, " + std::to_string(count) + ") i");
    }

    // The candidates' ids in the order they are given.
    std::vector<std::int64_t> candidates(const store::SearchFilter& filter) {
        pqxx::connection connection{db.url()};
        std::vector<std::int64_t> ids;
        store::for_each_search_candidate(connection, filter,
                                         [&](std::vector<store::SearchArticle>& batch) {
                                             for (const auto& article : batch)
                                                 ids.push_back(article.id);
                                             return true;
                                         });
        return ids;
    }

    // The rows read from articles so far (in this test's database, by this connection alone).
    static long long articles_rows_read(pqxx::connection& connection) {
        pqxx::nontransaction tx{connection};
        tx.exec("SELECT pg_stat_force_next_flush()"); // this backend's counts, at once
        return tx
            .exec1("SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) "
                   "FROM pg_stat_user_tables WHERE relname = 'articles'")[0]
            .as<long long>();
    }

    static bool finds_any(pqxx::connection& connection, const std::string& words) {
        store::SearchFilter filter;
        filter.words = words;
        bool found = false;
        store::for_each_search_candidate(connection, filter, [&](auto&) { return found = true; });
        return found;
    }

    // The ids `words` should give, newest first, as one statement says it.
    std::vector<std::int64_t> expected_candidates(const std::string& words) {
        pqxx::connection connection{db.url()};
        pqxx::read_transaction tx{connection};
        std::vector<std::int64_t> ids;
        for (const auto& row : tx.exec_params(
                 "SELECT id FROM articles WHERE duplicate_of IS NULL "
                 "AND (words @@ $1::tsquery OR words IS NULL) ORDER BY published_at DESC, id DESC",
                 words))
            ids.push_back(row[0].as<std::int64_t>());
        return ids;
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    std::map<std::string, std::int64_t> m_feeds;
    std::filesystem::path m_config = std::filesystem::temp_directory_path() /
                                     ("newsmon-search-" + std::to_string(getpid()) + ".toml");
};

TEST_F(SearchTest, FindsWhatAlertTestFindsForEveryFormOfQuery) {
    ASSERT_EQ(db.scalar("SELECT count(*) FROM articles WHERE words IS NULL"), 0);
    std::size_t matched_queries = 0;
    for (const auto& query : k_queries) {
        auto expected = alert_test(query);
        EXPECT_EQ(search_ids(query), expected) << query;
        matched_queries += expected.empty() ? 0U : 1U;
    }
    EXPECT_GE(matched_queries, k_queries.size() - 3); // the corpus exercises nearly every query
}

TEST_F(SearchTest, ArticlesWhoseWordsAreUnknownAreStillFound) {
    db.execute("UPDATE articles SET words = NULL WHERE title LIKE 'Королёв%'");
    ASSERT_EQ(db.scalar("SELECT count(*) FROM articles WHERE words IS NULL"), 1);
    for (const auto& query : {"Королев", "NATO OR НАТО", "Baku"})
        EXPECT_EQ(search_ids(query), alert_test(query)) << query;
    // A change of text that does not bring its words makes them unknown, never stale.
    db.execute("UPDATE articles SET summary = 'Weather only' WHERE title = 'Rutte in Ankara'");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE words IS NULL"), 2);
}

// A repeat leaves the words alone; a changed article brings its new words.
TEST_F(SearchTest, WordsFollowTheArticleThroughRepeatsAndChanges) {
    auto poll = [&](const std::string& summary) {
        store::FeedPoll feed_poll;
        feed_poll.feed_id = m_feeds.at("Wire");
        feed_poll.started_at = std::chrono::system_clock::now();
        feed_poll.http_status = 200;
        store::PolledArticle article;
        article.item =
            testkit::make_item("changing", "Weather report", "https://news.example.test/changing",
                               testkit::start_of_today(), summary);
        feed_poll.articles.push_back(std::move(article));
        feed_poll.next_poll_in = 15min;
        store.record_poll(feed_poll);
    };
    auto words = [&] {
        return db.text("SELECT words::text FROM articles WHERE guid = 'changing'");
    };
    poll("Sunny over Ganja");
    EXPECT_EQ(words(), "'ganja' 'over' 'report' 'sunny' 'weather'");
    poll("Sunny over Ganja");
    EXPECT_EQ(words(), "'ganja' 'over' 'report' 'sunny' 'weather'");
    poll("Rain over Shusha");
    EXPECT_EQ(words(), "'over' 'rain' 'report' 'shusha' 'weather'");
    EXPECT_EQ(search_ids("Shusha"), alert_test("Shusha"));
    EXPECT_EQ(search_ids("Shusha").size(), 1U);
    EXPECT_TRUE(search_ids("Ganja").empty());
}

TEST_F(SearchTest, YoAndYeAndTheTurkicIsAreOneLetter) {
    auto titles = [&](const std::string& query) {
        cli::SearchCommand command;
        command.query = query;
        std::set<std::string> found;
        for (const auto& hit : search(command))
            found.insert(hit["title"].get<std::string>());
        return found;
    };
    EXPECT_EQ(titles("Королев"),
              (std::set<std::string>{"Королёв прибыл в Баку", "Королев и НАТО"}));
    EXPECT_EQ(titles("Королёв"), titles("Королев"));
    EXPECT_EQ(titles("партнерство"), titles("партнёрство"));
    EXPECT_EQ(titles("партнерство").count("Партне\xCC\x88рство"), 1U);
    EXPECT_EQ(titles("Bakı*").count("BAKI'DA NATO TOPLANTISI"), 1U);
    EXPECT_EQ(titles("baki*"), titles("BAKI*"));
    EXPECT_EQ(titles("İttifak"), (std::set<std::string>{"Türkiye ve Azerbaycan"}));
}

TEST_F(SearchTest, TopicSinceLimitAndEmptyResults) {
    cli::SearchCommand command;
    command.topic = "azerbaijan";
    auto all = search(command);
    EXPECT_EQ(all.size(), static_cast<std::size_t>(
                              db.scalar("SELECT count(DISTINCT article_id) FROM article_topics "
                                        "WHERE topic = 'azerbaijan'")));
    command.limit = 2;
    auto two = search(command);
    ASSERT_EQ(two.size(), 2U);
    EXPECT_EQ(two[0]["id"], all[0]["id"]);
    command.limit = 20;
    command.since = "150m"; // the newest of the topic's (1 h old; the next is 3 h old)
    EXPECT_EQ(search(command).size(), 1U);
    command.since = "2000-01-01";
    EXPECT_EQ(search(command).size(), all.size());

    int status = 0;
    command = {};
    command.query = "Weltraum";
    EXPECT_TRUE(search(command, &status).empty());
    EXPECT_EQ(status, cli::k_exit_nothing_found);
    command.query = "topic:weather NATO";
    search(command, &status);
    EXPECT_EQ(status, cli::k_exit_usage);
    command.query = "feed:Nowhere NATO";
    search(command, &status);
    EXPECT_EQ(status, cli::k_exit_usage);
    command.query = "NATO";
    command.topic = "weather";
    search(command, &status);
    EXPECT_EQ(status, cli::k_exit_usage);
    command = {};
    search(command, &status); // neither a query nor a topic
    EXPECT_EQ(status, cli::k_exit_usage);
}

// A word that fills the first batch among the newest 2,000 articles is common, and found
// walking the time index; another is looked up in the words index, and its candidates read
// among the articles it gives when they are 5,000 or fewer, else walking again. Each way gives
// every candidate once, newest first, across batches, and from a keyset on.
TEST_F(SearchTest, CommonRareAndOldWordsGiveTheSameCandidatesAcrossBatches) {
    add_articles(8'000, "'common'::tsvector"
                        " || CASE WHEN i % 40 = 0 THEN 'rare'::tsvector ELSE '' END"
                        " || CASE WHEN i > 2400 THEN 'old'::tsvector ELSE '' END");
    db.execute("UPDATE articles SET duplicate_of = (SELECT min(id) FROM articles) "
               "WHERE guid LIKE 'bulk%' AND substr(guid, 5)::int % 85 = 0");
    db.execute("UPDATE articles SET words = NULL "
               "WHERE guid LIKE 'bulk%' AND substr(guid, 5)::int % 100 = 7");
    db.execute("ANALYZE articles");
    for (const char* words : {"'common'", "'rare'", "'old'", "'rare' & 'common'", "'nowhere'"}) {
        auto expected = expected_candidates(words); // 'nowhere': the 80 whose words are unknown
        ASSERT_GE(expected.size(), 80U) << words;
        store::SearchFilter filter;
        filter.words = words;
        EXPECT_EQ(candidates(filter), expected) << words;

        auto from = std::min<std::ptrdiff_t>(150, std::ssize(expected) / 2);
        filter.after_id = expected[static_cast<std::size_t>(from - 1)];
        filter.after_published = db.text("SELECT published_at::text FROM articles WHERE id = " +
                                         std::to_string(*filter.after_id));
        EXPECT_EQ(candidates(filter),
                  std::vector<std::int64_t>(expected.begin() + from, expected.end()))
            << words;
    }
}

// The words index says how many articles a word is in; PostgreSQL's statistics may not know,
// or be wrong. Here they say that every article has a word none has, and search reads only the
// newest 2,000 articles to see that it is not common (walking the time index, or a scan, would
// read all 6,000).
TEST_F(SearchTest, AWordTheStatisticsCallCommonButNoArticleHasIsNotReadArticleByArticle) {
    add_articles(6'000, "'filler'::tsvector");
    db.execute("ANALYZE articles");
    db.execute("ALTER TABLE articles SET (autovacuum_enabled = off)"); // keep the statistics
    db.execute("UPDATE articles SET words = 'other' WHERE words @@ 'filler'");
    db.execute("VACUUM articles"); // the old rows out of the words index; no ANALYZE

    pqxx::connection connection{db.url()};
    long long before = articles_rows_read(connection);
    EXPECT_FALSE(finds_any(connection, "'filler'"));
    EXPECT_LT(articles_rows_read(connection) - before, 2'500);
}

// A word the statistics call rare is looked up at once: no article's words are read to see
// whether it is common among the newest (that probe would read 2,000 of them).
TEST_F(SearchTest, AWordTheStatisticsCallRareIsLookedUpWithoutReadingTheNewestArticles) {
    add_articles(6'000, "'filler'::tsvector || CASE WHEN i % 500 = 0 THEN 'scarce'::tsvector "
                        "ELSE '' END");
    db.execute("ANALYZE articles");

    pqxx::connection connection{db.url()};
    for (const char* words : {"'scarce'", "'nowhere'", "'scarce' & 'filler'"}) {
        long long before = articles_rows_read(connection);
        bool found = finds_any(connection, words);
        EXPECT_LT(articles_rows_read(connection) - before, 200) << words;
        EXPECT_EQ(found, std::string(words) != "'nowhere'") << words;
    }
}

} // namespace

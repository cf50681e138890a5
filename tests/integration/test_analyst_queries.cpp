// Every example in sql/queries runs against the newsroom fixture and returns what it says.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "newsroom.hpp"
#include "test_database.hpp"

using namespace newsmon;

namespace {

class AnalystQueries : public ::testing::Test {
protected:
    void SetUp() override { testkit::populate_newsroom(store, db.url()); }

    // The example's SQL.
    static std::string example(const std::string& file) {
        std::ifstream in(std::string(NEWSMON_SOURCE_DIR) + "/sql/queries/" + file);
        EXPECT_TRUE(in) << file;
        std::stringstream sql;
        sql << in.rdbuf();
        return sql.str();
    }

    // The query's rows, each as its columns joined by " | ".
    std::vector<std::string> run(const std::string& file) {
        pqxx::connection connection{db.url()};
        pqxx::read_transaction tx{connection};
        std::vector<std::string> rows;
        for (const auto& row : tx.exec(example(file))) {
            std::string line;
            for (const auto& field : row)
                line += (line.empty() ? "" : " | ") + std::string(field.c_str());
            rows.push_back(line);
        }
        return rows;
    }

    // The given columns only.
    std::vector<std::string> columns(const std::vector<std::string>& rows,
                                     std::vector<std::size_t> wanted) {
        std::vector<std::string> out;
        for (const auto& row : rows) {
            std::vector<std::string> fields;
            std::stringstream in(row);
            std::string field;
            while (std::getline(in, field, '|')) {
                auto start = field.find_first_not_of(' ');
                auto end = field.find_last_not_of(' ');
                fields.push_back(start == std::string::npos ? ""
                                                            : field.substr(start, end - start + 1));
            }
            std::string picked;
            for (auto index : wanted)
                picked += (picked.empty() ? "" : " | ") + fields.at(index);
            out.push_back(picked);
        }
        return out;
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
};

} // namespace

TEST_F(AnalystQueries, TodaysStoriesTaggedBothNatoAndAzerbaijan) {
    EXPECT_EQ(columns(run("01_today_nato_and_azerbaijan.sql"), {3}),
              (std::vector<std::string>{"NATO envoys meet the president in Baku",
                                        "Азербайджан и НАТО обсудили сотрудничество"}));
}

TEST_F(AnalystQueries, WeeklyTrendPerTopicCountsEachStoryOnce) {
    long long nato = 0, azerbaijan = 0;
    for (const auto& row : columns(run("02_weekly_trend_per_topic.sql"), {1, 2})) {
        auto bar = row.find(" | ");
        long long count = std::stoll(row.substr(bar + 3));
        (row.starts_with("nato") ? nato : azerbaijan) += count;
    }
    EXPECT_EQ(nato, 3);
    EXPECT_EQ(azerbaijan, 3);
}

// The agency's g1 and g3 repeat the wire's stories and count for no feed: its only nato
// articles are those, so it has no nato row.
TEST_F(AnalystQueries, TopFeedsPerTopic) {
    EXPECT_EQ(run("03_top_feeds_per_topic.sql"),
              (std::vector<std::string>{"azerbaijan | Wire | 2", "azerbaijan | Agency | 1",
                                        "nato | Wire | 3"}));
}

TEST_F(AnalystQueries, TopicCooccurrence) {
    EXPECT_EQ(run("04_topic_cooccurrence.sql"), std::vector<std::string>{"azerbaijan | nato | 2"});
}

TEST_F(AnalystQueries, FullTextSearch) {
    EXPECT_EQ(columns(run("05_full_text_search.sql"), {3}),
              std::vector<std::string>{"NATO envoys meet the president in Baku"});
}

TEST_F(AnalystQueries, FailingFeeds) {
    EXPECT_EQ(columns(run("06_failing_feeds.sql"), {0, 2, 3, 4}),
              std::vector<std::string>{"Failing | 3 | 503 | HTTP status 503"});
}

TEST_F(AnalystQueries, DuplicatesAcrossFeeds) {
    EXPECT_EQ(columns(run("07_duplicates_across_feeds.sql"), {1, 2, 4}),
              (std::vector<std::string>{"Wire | NATO envoys meet the president in Baku | Agency",
                                        "Wire | Alliance ministers gather in Brussels | Agency"}));
}

TEST_F(AnalystQueries, PhraseInTheLastSevenDays) {
    EXPECT_EQ(columns(run("08_phrase_last_7_days.sql"), {3}),
              std::vector<std::string>{"NATO envoys meet the president in Baku"});
}

// Over a grown archive the phrase's words are in half of all articles: the search index must
// give the example only the last days' articles that hold them (the day column of
// articles_search_day_idx), not every one of all time. Here, with search vectors of a few words
// and no TOAST, walking the week's articles by time is rightly cheaper, so that walk and the
// sequential scan are turned off to see what the index is asked (at 5,000,000 articles the
// planner takes this index by itself: README, "Scale").
TEST_F(AnalystQueries, APhraseOfTheLastWeekReadsOnlyThoseDaysFromTheSearchIndex) {
    // 60,000 articles, one a minute over 42 days (10,019 in the last week); half hold both
    // words, a quarter the phrase.
    db.execute("INSERT INTO articles (feed_id, guid, title, published_at, content_hash, "
               "story_id, search) SELECT (SELECT min(id) FROM feeds), 'archive' || i, "
               "'Archive ' || i, now() - interval '1 hour' - i * interval '1 minute', "
               "md5(i::text), 2000000 + i, to_tsvector('russian', CASE "
               "WHEN i % 4 = 0 THEN 'talks on the partnership for peace' "
               "WHEN i % 4 = 1 THEN 'peace needs partnership' ELSE 'energy and transport' END) "
               "FROM generate_series(1, 60000) i");
    db.execute("ANALYZE articles");

    // i = 4, 8, ..., 10,016, and the newsroom's own report.
    EXPECT_EQ(run("08_phrase_last_7_days.sql").size(), 2505U);

    pqxx::connection connection{db.url()};
    pqxx::work tx{connection}; // rolled back
    tx.exec0("SET LOCAL enable_indexscan = off");
    tx.exec0("SET LOCAL enable_seqscan = off");
    auto plan = nlohmann::json::parse(
        tx.exec1("EXPLAIN (ANALYZE, FORMAT JSON) " + example("08_phrase_last_7_days.sql"))[0]
            .as<std::string>());
    std::vector<nlohmann::json> scans;
    std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& node) {
        if (node.value("Index Name", "") == "articles_search_day_idx")
            scans.push_back(node);
        for (const auto& child : node.value("Plans", nlohmann::json::array()))
            visit(child);
    };
    visit(plan.at(0).at("Plan"));
    ASSERT_EQ(scans.size(), 1U) << plan.dump(1);
    // Eight days at most (the bound is a whole day) of which half hold both words: under 6,000
    // candidates, where all time holds 30,000.
    EXPECT_EQ(scans[0].at("Node Type"), "Bitmap Index Scan");
    EXPECT_GT(scans[0].at("Actual Rows").get<long long>(), 2504);
    EXPECT_LT(scans[0].at("Actual Rows").get<long long>(), 6000) << plan.dump(1);
}

TEST_F(AnalystQueries, WhoBrokeIt) {
    // w1 (Wire) and its republication g1 (Agency, ten seconds later) are one story; w2 two days
    // ago and its rerun g3 an hour later another.
    EXPECT_EQ(
        columns(run("09_who_broke_it.sql"), {1, 2, 4, 5}),
        (std::vector<std::string>{"NATO envoys meet the president in Baku | Wire | 00:00:10 | 2",
                                  "Alliance ministers gather in Brussels | Wire | 01:00:00 | 2"}));
}

TEST_F(AnalystQueries, HowFarItSpread) {
    EXPECT_EQ(columns(run("10_how_far_it_spread.sql"), {2, 5}),
              (std::vector<std::string>{"Wire | 00:00:00", "Agency | 00:00:10", "Wire | 00:00:00",
                                        "Agency | 01:00:00"}));
}

TEST_F(AnalystQueries, StoriesPerTopicPerDayCountAnEventOnce) {
    auto rows = columns(run("11_stories_per_topic_per_day.sql"), {1, 2, 3});
    // today: the Baku story (two articles) and the Russian one; nato also has nothing else today
    EXPECT_NE(std::find(rows.begin(), rows.end(), "nato | 2 | 3"), rows.end())
        << ::testing::PrintToString(rows);
}

TEST_F(AnalystQueries, ThereAreAtLeastEightExamplesEachWithAComment) {
    int count = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(NEWSMON_SOURCE_DIR) + "/sql/queries")) {
        std::ifstream in(entry.path());
        std::string first_line;
        std::getline(in, first_line);
        EXPECT_TRUE(first_line.starts_with("-- ")) << entry.path();
        ++count;
    }
    EXPECT_GE(count, 8);
}

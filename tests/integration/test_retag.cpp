#include <gtest/gtest.h>

#include "newsroom.hpp"
#include "store/retag.hpp"
#include "test_database.hpp"

using namespace newsmon;

namespace {

class Retag : public ::testing::Test {
protected:
    void SetUp() override { testkit::populate_newsroom(store, db.url()); }

    std::string tags() {
        return db.text("SELECT string_agg(a.guid || '=' || t.topic, ' ' ORDER BY a.guid, t.topic) "
                       "FROM article_topics t JOIN articles a ON a.id = t.article_id");
    }

    testkit::TestDatabase db;
    store::Store store{db.url()};
    tag::Tagger tagger = *tag::Tagger::compile(
        {{"nato", "", {"NATO", "НАТО"}, {}, 1}, {"azerbaijan", "", {"Baku", "Bakı"}, {}, 1}});
};

} // namespace

TEST_F(Retag, ReplacesEveryArticlesTopicsWithWhatTheTermsFindNow) {
    auto progress = store::retag_articles(store.connection(), tagger, {}, nullptr);
    EXPECT_EQ(progress.done, 6);
    EXPECT_EQ(progress.total, 6);
    EXPECT_EQ(tags(), "g1=azerbaijan g1=nato g2=azerbaijan w1=azerbaijan w1=nato w3=nato");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM retag_progress"), 0);
}

TEST_F(Retag, SinceAndTopicLimitWhatIsReplaced) {
    store::RetagOptions options;
    options.topic = "azerbaijan";
    options.since = "2000-01-01T00:00:00Z";
    store::retag_articles(store.connection(), tagger, options, nullptr);
    // nato rows are the fixture's, untouched; azerbaijan rows are recomputed.
    EXPECT_EQ(tags(), "g1=azerbaijan g1=nato g2=azerbaijan g3=nato w1=azerbaijan w1=nato "
                      "w2=nato w3=nato");
    options.since = "2099-01-01T00:00:00Z";
    EXPECT_EQ(store::retag_articles(store.connection(), tagger, options, nullptr).done, 0);
}

TEST_F(Retag, AnInterruptedRunResumesWhereItStopped) {
    store::RetagOptions options;
    options.batch_size = 2;
    int batches = 0;
    EXPECT_THROW(store::retag_articles(store.connection(), tagger, options,
                                       [&](const store::RetagProgress&) {
                                           if (++batches == 2)
                                               throw std::runtime_error("interrupted");
                                       }),
                 std::runtime_error);
    EXPECT_EQ(db.scalar("SELECT done FROM retag_progress"), 4);
    std::vector<store::RetagProgress> seen;
    auto progress = store::retag_articles(store.connection(), tagger, options,
                                          [&](const auto& p) { seen.push_back(p); });
    ASSERT_EQ(seen.size(), 1u); // only the last two articles were left
    EXPECT_TRUE(seen[0].resumed);
    EXPECT_EQ(progress.done, 6);
    EXPECT_EQ(tags(), "g1=azerbaijan g1=nato g2=azerbaijan w1=azerbaijan w1=nato w3=nato");
}

TEST_F(Retag, DetectsTheLanguageOfArticlesWhoseFeedDeclaredNoneAndStemsByIt) {
    db.execute("UPDATE articles SET language = NULL, language_detected = false");
    db.execute("UPDATE articles SET title = 'Bakıdakı görüşün nəticələri', summary = "
               "'Nümayəndə heyəti Bakıya gəlib və əməkdaşlıq məsələlərini müzakirə edib.', "
               "content_text = NULL, content_html = NULL WHERE guid = 'g3'");
    db.execute("UPDATE articles SET language = 'ru' WHERE guid = 'w2'"); // as the feed declared
    auto progress = store::retag_articles(store.connection(), tagger, {}, nullptr);
    EXPECT_EQ(db.text("SELECT language || ' ' || language_detected FROM articles "
                      "WHERE guid = 'g3'"),
              "az true");
    EXPECT_EQ(db.text("SELECT language || ' ' || language_detected FROM articles "
                      "WHERE guid = 'w2'"),
              "ru false");
    EXPECT_EQ(progress.languages_set, 5);
    // Bakıdakı and Bakıya are the term Bakı, read with the Azerbaijani rules.
    EXPECT_NE(tags().find("g3=azerbaijan"), std::string::npos);
    // A second run finds nothing new to store.
    EXPECT_EQ(store::retag_articles(store.connection(), tagger, {}, nullptr).languages_set, 0);
}

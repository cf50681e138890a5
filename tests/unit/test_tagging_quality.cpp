// The shipped topics (config/newsmon.toml) against the labelled set in
// tests/fixtures/tagging/labelled.jsonl: precision and recall of 0.95 or better on each topic.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "tag/tagger.hpp"

using namespace newsmon;

namespace {

struct Counts {
    int true_positive = 0, false_positive = 0, false_negative = 0;
    [[nodiscard]] double precision() const {
        int predicted = true_positive + false_positive;
        return predicted == 0 ? 1.0 : static_cast<double>(true_positive) / predicted;
    }
    [[nodiscard]] double recall() const {
        int actual = true_positive + false_negative;
        return actual == 0 ? 1.0 : static_cast<double>(true_positive) / actual;
    }
};

} // namespace

TEST(TaggingQuality, ShippedTopicsMeetPrecisionAndRecallOnTheLabelledSet) {
    unsetenv("NEWSMON_DATABASE_URL");
    auto loaded = config::load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    ASSERT_TRUE(loaded.config);
    auto tagger = tag::Tagger::compile(loaded.config->topics);
    ASSERT_TRUE(tagger) << tagger.error();

    std::ifstream in(std::string(NEWSMON_FIXTURES_DIR) + "/tagging/labelled.jsonl");
    std::map<std::string, Counts> by_topic;
    std::map<std::string, Counts> by_language;
    std::vector<std::string> mistakes;
    int articles = 0;
    for (std::string line; std::getline(in, line);) {
        auto article = nlohmann::json::parse(line);
        ++articles;
        std::set<std::string> expected(article["topics"].begin(), article["topics"].end());
        std::set<std::string> found;
        for (const auto& match : tagger->topics_of(article["title"].get<std::string>(),
                                                   article["body"].get<std::string>()))
            found.insert(match.topic);
        for (const auto& topic : loaded.config->topics) {
            bool want = expected.contains(topic.name), got = found.contains(topic.name);
            for (Counts* counts :
                 {&by_topic[topic.name],
                  &by_language[article["lang"].get<std::string>() + "/" + topic.name]}) {
                counts->true_positive += want && got;
                counts->false_positive += !want && got;
                counts->false_negative += want && !got;
            }
            if (want != got)
                mistakes.push_back(article["id"].get<std::string>() + ": " + topic.name +
                                   (got ? " found but not expected" : " expected but not found"));
        }
    }
    EXPECT_GE(articles, 80);
    for (const auto& [language_topic, counts] : by_language)
        std::printf("  %-16s precision %.3f recall %.3f\n", language_topic.c_str(),
                    counts.precision(), counts.recall());
    for (const auto& [topic, counts] : by_topic) {
        std::printf("%-10s precision %.3f recall %.3f (tp %d, fp %d, fn %d, %d articles)\n",
                    topic.c_str(), counts.precision(), counts.recall(), counts.true_positive,
                    counts.false_positive, counts.false_negative, articles);
        EXPECT_GE(counts.precision(), 0.95) << topic;
        EXPECT_GE(counts.recall(), 0.95) << topic;
    }
    for (const auto& mistake : mistakes)
        std::printf("mistake: %s\n", mistake.c_str());
}

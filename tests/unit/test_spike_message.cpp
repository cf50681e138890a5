#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerts/message.hpp"
#include "alerts/spike_message.hpp"

using namespace newsmon::alerts;

namespace {

const char* const k_stored = R"({"count": 23, "expected": 3.14, "ratio": 7.3, "p_value": 1e-12,
  "window_seconds": 3600, "baseline_seconds": 1209600, "window_start": "2026-11-30T13:00:00Z",
  "window_end": "2026-11-30T14:00:00Z",
  "stories": [{"story_id": 9, "title": "Pipeline halted", "feed_count": 7, "article_count": 9,
               "url": "https://today.example.test/1"},
              {"story_id": 4, "title": "Valve <closed>", "feed_count": 1, "article_count": 1,
               "url": "https://wire.example.test/2"}]})";

AlertMessage spike_message() {
    AlertMessage message;
    message.delivery_id = "57";
    message.rule = "pipeline-spike";
    message.spike = parse_spike_summary(k_stored).value();
    return message;
}

} // namespace

TEST(SpikeMessage, DurationsAreWrittenAsTheyAreTyped) {
    EXPECT_EQ(duration_text(3600), "1h");
    EXPECT_EQ(duration_text(1800), "30m");
    EXPECT_EQ(duration_text(86'400 * 14), "14d");
    EXPECT_EQ(duration_text(90), "90s");
}

TEST(SpikeMessage, TheWebhookSaysCountExpectedRatioWindowAndStories) {
    auto json = nlohmann::json::parse(webhook_json(spike_message()));
    EXPECT_EQ(json["kind"], "spike");
    EXPECT_EQ(json["count"], 23);
    EXPECT_EQ(json["expected"], 3.14);
    EXPECT_EQ(json["ratio"], 7.3);
    EXPECT_EQ(json["window"], "1h");
    EXPECT_EQ(json["window_start"], "2026-11-30T13:00:00Z");
    ASSERT_EQ(json["stories"].size(), 2u);
    EXPECT_EQ(json["stories"][0]["title"], "Pipeline halted");
    EXPECT_EQ(json["stories"][0]["feed_count"], 7);
    EXPECT_EQ(json["stories"][0]["url"], "https://today.example.test/1");
    EXPECT_FALSE(json.contains("article_id")); // a spike is about stories, not one article
    EXPECT_EQ(json["text"],
              "newsmon spike [pipeline-spike]: 23 stories in the last 1h, expected 3.1 (7.3x "
              "normal)\nPipeline halted (7 feeds)\nhttps://today.example.test/1\nValve <closed> "
              "(1 feed)\nhttps://wire.example.test/2\n");
}

TEST(SpikeMessage, TheMailHasTheSpikeInItsSubjectAndBothParts) {
    auto message = spike_message();
    EXPECT_EQ(subject_line(message),
              "[newsmon] pipeline-spike: spike, 23 stories in 1h (expected 3.1)");
    EXPECT_EQ(plain_text(message).rfind("newsmon spike [pipeline-spike]: 23 stories", 0), 0u);
    auto html = spike_html(message.rule, *message.spike);
    EXPECT_NE(html.find("Valve &lt;closed&gt;"), std::string::npos) << html;
    EXPECT_NE(mail_message(message, "newsmon@example.test", "desk@example.test")
                  .find("X-Newsmon-Delivery: 57"),
              std::string::npos);
}

TEST(SpikeMessage, ABrokenSummaryIsAnError) {
    EXPECT_FALSE(parse_spike_summary("[]"));
    EXPECT_FALSE(parse_spike_summary(R"({"count": 1})"));
}

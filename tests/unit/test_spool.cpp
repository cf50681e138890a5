#include <gtest/gtest.h>

#include <unistd.h>

#include "store/spool.hpp"

using namespace newsmon;

TEST(Spool, PollsComeBackAsTheyWentInOldestFirst) {
    auto directory =
        std::filesystem::temp_directory_path() / ("newsmon-spool-" + std::to_string(getpid()));
    std::filesystem::remove_all(directory);
    store::Spool spool(directory);
    store::FeedPoll poll;
    poll.feed_id = 7;
    poll.started_at =
        std::chrono::system_clock::time_point{std::chrono::milliseconds{1'700'000'000'123}};
    poll.http_status = 200;
    poll.etag = "\"v1\"";
    poll.next_poll_in = std::chrono::minutes{15};
    parsers::Item item;
    item.guid = "g1";
    item.title = "Azərbaycan və NATO";
    item.published = parsers::Timestamp{std::chrono::seconds{1'762'500'000}};
    item.content_html = "<p>text</p>";
    item.enclosures.push_back({"https://x.test/a.jpg", "image/jpeg", std::nullopt});
    poll.articles.push_back({item, {{"nato", 3, 1, {"NATO"}, true}}, "full text", "az"});
    spool.put(poll);
    poll.feed_id = 8;
    spool.put(poll);

    auto files = spool.pending();
    ASSERT_EQ(files.size(), 2u);
    auto first = store::Spool::read(files[0]);
    EXPECT_EQ(first.feed_id, 7);
    EXPECT_EQ(store::Spool::read(files[1]).feed_id, 8);
    EXPECT_EQ(first.started_at, poll.started_at);
    EXPECT_EQ(first.etag, "\"v1\"");
    EXPECT_FALSE(first.last_modified);
    EXPECT_EQ(first.next_poll_in, std::chrono::minutes{15});
    ASSERT_EQ(first.articles.size(), 1u);
    EXPECT_EQ(first.articles[0].item.title, "Azərbaycan və NATO");
    EXPECT_EQ(first.articles[0].item.published, item.published);
    EXPECT_EQ(first.articles[0].item.content_html, "<p>text</p>");
    EXPECT_EQ(first.articles[0].item.enclosures[0].type, "image/jpeg");
    EXPECT_EQ(first.articles[0].topics[0].matched_terms, std::vector<std::string>{"NATO"});
    EXPECT_EQ(first.articles[0].content_text, "full text");
    std::filesystem::remove_all(directory);
}

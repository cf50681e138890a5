#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "store/spool.hpp"

using namespace newsmon;

namespace {

class SpoolTest : public ::testing::Test {
protected:
    void SetUp() override { std::filesystem::remove_all(m_directory); }
    void TearDown() override { std::filesystem::remove_all(m_directory); }

    static store::FeedPoll sample_poll() {
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
        return poll;
    }
    static std::string read_text(const std::filesystem::path& file) {
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(m_directory / name) << text;
    }
    static std::filesystem::perms permissions(const std::filesystem::path& path) {
        return std::filesystem::status(path).permissions() & std::filesystem::perms::all;
    }

    std::filesystem::path m_directory =
        std::filesystem::temp_directory_path() / ("newsmon-spool-" + std::to_string(getpid()));
};

} // namespace

TEST_F(SpoolTest, PollsComeBackAsTheyWentInOldestFirst) {
    store::Spool spool(m_directory);
    auto poll = sample_poll();
    spool.put(poll);
    poll.feed_id = 8;
    spool.put(poll);

    auto files = spool.pending();
    ASSERT_EQ(files.size(), 2u);
    auto first = store::Spool::read(files[0]);
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(first->feed_id, 7);
    EXPECT_EQ(store::Spool::read(files[1])->feed_id, 8);
    EXPECT_EQ(first->started_at, poll.started_at);
    EXPECT_EQ(first->etag, "\"v1\"");
    EXPECT_FALSE(first->last_modified);
    EXPECT_EQ(first->next_poll_in, std::chrono::minutes{15});
    ASSERT_EQ(first->articles.size(), 1u);
    const auto& item = first->articles[0].item;
    EXPECT_EQ(item.title, "Azərbaycan və NATO");
    EXPECT_EQ(item.published, poll.articles[0].item.published);
    EXPECT_EQ(item.content_html, "<p>text</p>");
    EXPECT_EQ(item.enclosures[0].type, "image/jpeg");
    EXPECT_EQ(first->articles[0].topics[0].matched_terms, std::vector<std::string>{"NATO"});
    EXPECT_EQ(first->articles[0].content_text, "full text");
}

TEST_F(SpoolTest, EveryFileSaysItsFormatVersion) {
    store::Spool spool(m_directory);
    spool.put(sample_poll());
    auto files = spool.pending();
    ASSERT_EQ(files.size(), 1u);
    auto document = nlohmann::json::parse(read_text(files[0]));
    EXPECT_EQ(document.at("spool_version"), store::k_spool_version);
}

TEST_F(SpoolTest, AFileFromBeforeTheVersionFieldStillReads) {
    auto document = nlohmann::json::parse(store::to_json(sample_poll()));
    document.erase("spool_version");
    auto poll = store::feed_poll_from_json(document.dump());
    ASSERT_TRUE(poll) << poll.error();
    EXPECT_EQ(poll->feed_id, 7);
    EXPECT_EQ(poll->articles.at(0).item.guid, "g1");
}

TEST_F(SpoolTest, ANewerFormatIsRefusedWithItsVersion) {
    auto document = nlohmann::json::parse(store::to_json(sample_poll()));
    document["spool_version"] = store::k_spool_version + 1;
    auto poll = store::feed_poll_from_json(document.dump());
    ASSERT_FALSE(poll);
    EXPECT_NE(
        poll.error().find("spool format version " + std::to_string(store::k_spool_version + 1)),
        std::string::npos)
        << poll.error();
}

TEST_F(SpoolTest, ATruncatedOrEmptyFileIsAnErrorWithTheReason) {
    store::Spool spool(m_directory);
    std::string text = store::to_json(sample_poll());
    write("00000000000000000001-000001-1.json", text.substr(0, text.size() / 2));
    write("00000000000000000002-000002-1.json", "");
    write("00000000000000000003-000003-1.json", R"({"spool_version": 1, "feed_id": 7})");
    auto files = spool.pending();
    ASSERT_EQ(files.size(), 3u);
    for (const auto& file : files) {
        auto poll = store::Spool::read(file);
        ASSERT_FALSE(poll) << file;
        EXPECT_FALSE(poll.error().empty());
    }
    EXPECT_NE(store::Spool::read(files[0]).error().find("parse error"), std::string::npos);
    EXPECT_NE(store::Spool::read(files[2]).error().find("started_at_ms"), std::string::npos);
    EXPECT_FALSE(store::Spool::read(m_directory / "missing.json"));
}

TEST_F(SpoolTest, AQuarantinedFileLeavesTheReplayAndIsKept) {
    store::Spool spool(m_directory);
    write("00000000000000000001-000001-1.json", "{\"feed_id\": 7, \"start");
    spool.put(sample_poll());
    auto files = spool.pending();
    ASSERT_EQ(files.size(), 2u);
    auto kept = spool.quarantine(files[0]);
    EXPECT_EQ(kept, m_directory / "quarantine" / "00000000000000000001-000001-1.json");
    EXPECT_EQ(read_text(kept), "{\"feed_id\": 7, \"start");
    EXPECT_EQ(spool.pending(), std::vector<std::filesystem::path>{files[1]});
    EXPECT_EQ(permissions(m_directory / "quarantine"), std::filesystem::perms::owner_all);
}

TEST_F(SpoolTest, TemporaryFilesLeftByACrashAreRemovedAtStartUp) {
    std::filesystem::create_directories(m_directory);
    write("00000000000000000001-000001-1.tmp", "{\"feed_id\": 7, \"start");
    write("00000000000000000002-000002-1.json", store::to_json(sample_poll()));
    store::Spool spool(m_directory);
    EXPECT_FALSE(std::filesystem::exists(m_directory / "00000000000000000001-000001-1.tmp"));
    EXPECT_EQ(spool.pending().size(), 1u);
}

TEST_F(SpoolTest, OnlyTemporaryFilesIdleForLongAreRemovedLater) {
    store::Spool spool(m_directory);
    write("00000000000000000001-000001-1.tmp", "left by a crash");
    write("00000000000000000002-000002-1.tmp", "being written");
    std::filesystem::last_write_time(m_directory / "00000000000000000001-000001-1.tmp",
                                     std::filesystem::file_time_type::clock::now() -
                                         std::chrono::minutes{5});
    EXPECT_EQ(spool.remove_stale_temporaries(std::chrono::seconds{60}), 1u);
    EXPECT_FALSE(std::filesystem::exists(m_directory / "00000000000000000001-000001-1.tmp"));
    EXPECT_TRUE(std::filesystem::exists(m_directory / "00000000000000000002-000002-1.tmp"));
}

TEST_F(SpoolTest, TheDirectoryIsForItsOwnerOnly) {
    {
        store::Spool spool(m_directory / "spool"); // created
        EXPECT_EQ(permissions(spool.directory()), std::filesystem::perms::owner_all);
    }
    std::filesystem::permissions(m_directory / "spool", std::filesystem::perms::all);
    store::Spool spool(m_directory / "spool"); // there already, open to all
    EXPECT_EQ(permissions(spool.directory()), std::filesystem::perms::owner_all);
}

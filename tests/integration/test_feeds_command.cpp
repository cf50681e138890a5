// `newsmon feeds`, the binary as operators run it against the test newsroom: every configured
// feed with its health from the database (failing, silent, overdue, last success, articles in
// 24 hours), as a table and as JSON.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "newsroom.hpp"
#include "test_database.hpp"

using namespace newsmon;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FeedsCommand : public ::testing::Test {
protected:
    void SetUp() override {
        store::Store store(m_database.url());
        testkit::populate_newsroom(store, m_database.url());
        std::ofstream(m_config)
            << "[database]\nurl = \"" << m_database.url() << "\"\n"
            << "[[feed]]\nname = \"Wire\"\nurl = \"https://wire.example.test/rss\"\n"
               "category = \"News\"\n"
            << "[[feed]]\nname = \"Agency\"\n"
               "url = \"https://agency.example.test/rss\"\n"
            << "[[feed]]\nname = \"Failing\"\n"
               "url = \"https://failing.example.test/rss\"\n"
            << "[[feed]]\nname = \"Added since\"\n"
               "url = \"https://new.example.test/rss\"\n";
    }
    void TearDown() override { std::filesystem::remove(m_config); }

    // The binary's standard output for `feeds ARGS`; its exit status in `status`.
    std::string run(const std::string& args, int& status) {
        std::string command = "env -u NEWSMON_DATABASE_URL " + std::string(NEWSMON_BINARY) +
                              " --config " + m_config.string() + " feeds " + args;
        std::string output;
        FILE* pipe = popen(command.c_str(), "r");
        if (!pipe)
            return output;
        std::array<char, 4096> buffer{};
        while (auto got = fread(buffer.data(), 1, buffer.size(), pipe))
            output.append(buffer.data(), got);
        status = pclose(pipe);
        return output;
    }

    testkit::TestDatabase m_database;
    std::filesystem::path m_config = std::filesystem::temp_directory_path() /
                                     ("newsmon-feeds-" + std::to_string(getpid()) + ".toml");
};

TEST_F(FeedsCommand, JsonHasEveryConfiguredFeedWithItsHealth) {
    int status = -1;
    auto output = run("--json", status);
    ASSERT_EQ(status, 0) << output;
    auto feeds = json::parse(output);
    ASSERT_EQ(feeds.size(), 4u);
    EXPECT_EQ(feeds[0]["name"], "Wire");
    EXPECT_EQ(feeds[0]["category"], "News");
    EXPECT_EQ(feeds[0]["state"], json({"ok"}));
    EXPECT_EQ(feeds[0]["articles_24h"], 3);
    EXPECT_EQ(feeds[0]["consecutive_failures"], 0);
    EXPECT_TRUE(feeds[0]["last_success_at"].is_string());
    EXPECT_TRUE(feeds[0]["last_error"].is_null());
    EXPECT_EQ(feeds[2]["name"], "Failing");
    EXPECT_EQ(feeds[2]["state"], json({"failing"}));
    EXPECT_EQ(feeds[2]["last_error"], "HTTP status 503");
    EXPECT_EQ(feeds[2]["consecutive_failures"], 3);
    EXPECT_TRUE(feeds[2]["last_success_at"].is_null());
    EXPECT_EQ(feeds[3]["name"], "Added since");
    EXPECT_EQ(feeds[3]["state"], json({"not in the database"}));

    // Overdue: due for longer than its interval and held by no instance; silent: the view's
    // rule (nothing new for ten times its usual gap, and at least two days).
    m_database.execute("UPDATE feeds SET next_poll_at = now() - interval '2 hours', lease_until = "
                       "NULL WHERE name = 'Agency'");
    m_database.execute("UPDATE articles SET first_seen_at = now() - interval '400 days' WHERE "
                       "feed_id = (SELECT id FROM feeds WHERE name = 'Agency')");
    feeds = json::parse(run("--json", status));
    EXPECT_EQ(feeds[1]["state"], json({"silent", "overdue"}));
}

TEST_F(FeedsCommand, TheTableSaysWhichFeedFailsAndWhy) {
    int status = -1;
    auto output = run("", status);
    ASSERT_EQ(status, 0) << output;
    EXPECT_NE(output.find("FEED"), std::string::npos) << output;
    auto failing = output.substr(output.find("\nFailing "));
    failing = failing.substr(1, failing.find('\n', 1));
    EXPECT_NE(failing.find(" failing "), std::string::npos) << failing;
    EXPECT_NE(failing.find("HTTP status 503"), std::string::npos) << failing;
    EXPECT_NE(output.find("\nAdded since "), std::string::npos) << output;
    EXPECT_NE(output.find("not in the database"), std::string::npos) << output;
}

// With [database] read_url set (a replica), the command reads there: here the primary cannot
// even be reached, and the feeds and their health still come back.
TEST_F(FeedsCommand, ReadsThroughReadUrlWhenItIsSet) {
    std::string config = slurp(m_config);
    std::ofstream(m_config) << "[database]\n"
                               "url = \"host=/nonexistent/newsmon-socket port=1 dbname=none "
                               "connect_timeout=2\"\n"
                               "read_url = \""
                            << m_database.url() << "\"\n"
                            << config.substr(config.find("[[feed]]"));
    int status = -1;
    auto output = run("--json", status);
    ASSERT_EQ(status, 0) << output;
    auto feeds = json::parse(output);
    ASSERT_EQ(feeds.size(), 4u);
    EXPECT_EQ(feeds[0]["articles_24h"], 3);
}

} // namespace

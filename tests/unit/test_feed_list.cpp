// The configured feeds as OPML and back (`newsmon feeds export` and `feeds import`): the same
// feeds after a round trip, names made unique, known and unusable URLs left out with a note,
// and [[feed]] category checked by the loader.
#include <gtest/gtest.h>

#include <cstdlib>

#include "config/config.hpp"
#include "config/feed_list.hpp"
#include "http_test_server.hpp" // read_fixture

using namespace newsmon;

namespace {

config::Config load(const std::string& text) {
    auto loaded = config::load_config_text(text, "test.toml");
    std::string problems;
    for (const auto& diagnostic : loaded.diagnostics)
        problems += diagnostic.to_string() + "\n";
    EXPECT_TRUE(loaded.config) << problems << text;
    return loaded.config ? *loaded.config : config::Config{};
}

struct Feed {
    std::string name, url, category, language;
    bool operator==(const Feed&) const = default;
};

std::vector<Feed> feeds_of(const config::Config& config) {
    std::vector<Feed> feeds;
    for (const auto& feed : config.feeds)
        feeds.push_back(
            {feed.name, feed.url, feed.category.value_or(""), feed.language.value_or("")});
    std::sort(feeds.begin(), feeds.end(),
              [](const Feed& a, const Feed& b) { return a.url < b.url; });
    return feeds;
}

void PrintTo(const Feed& feed, std::ostream* out) {
    *out << feed.name << " " << feed.url << " [" << feed.category << "] " << feed.language;
}

constexpr const char* k_config = R"toml(
[[feed]]
name = "Caspian \"Daily\" Wire"
url = "https://wire.example.test/rss.php?section=1&lang=en"
category = "News/Caucasus"
language = "en"

[[feed]]
name = "Top stories"
url = "https://top.example.test/rss"

[[feed]]
name = "Агентство <ru>"
url = "https://agency.example.test/ru/rss"
category = "News"
language = "ru"

[[feed]]
name = "Daily & Energy"
url = "https://energy.example.test/feed"
category = "News/Caucasus"
interval = "30m"
)toml";

} // namespace

TEST(FeedList, ExportThenImportGivesTheSameFeeds) {
    unsetenv("NEWSMON_DATABASE_URL");
    auto configured = load(k_config);
    std::string opml =
        parsers::write_opml("newsmon feeds", config::feeds_as_opml(configured.feeds));
    auto read = parsers::read_opml(opml);
    ASSERT_TRUE(read) << read.error();
    auto imported = config::import_feeds(*read, {});
    EXPECT_TRUE(imported.notes.empty()) << imported.notes.front();
    EXPECT_EQ(imported.added, 4u);
    auto reloaded = load(imported.toml);
    EXPECT_EQ(feeds_of(reloaded), feeds_of(configured));
    // Into the config it came from, nothing is new.
    auto again = config::import_feeds(*read, configured.feeds);
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.left_out, 4u);
    EXPECT_TRUE(again.toml.empty());
}

TEST(FeedList, ImportNamesUniquelyAndSaysWhatItLeavesOut) {
    unsetenv("NEWSMON_DATABASE_URL");
    auto configured =
        load("[[feed]]\nname = \"Caspian Daily Wire\"\n"
             "url = \"https://elsewhere.example.test/rss\"\n"
             "[[feed]]\nname = \"Old\"\nurl = \"https://agency.example.test/ru/rss\"\n");
    auto read = parsers::read_opml(testkit::read_fixture("opml/reader_export_nested_folders.opml"));
    ASSERT_TRUE(read) << read.error();
    auto imported = config::import_feeds(*read, configured.feeds);
    EXPECT_EQ(imported.notes,
              (std::vector<std::string>{
                  "line 15: https://agency.example.test/ru/rss is already configured as "
                  "\"Old\"; left out",
                  "line 25: https://wire.example.test/rss.php is listed before, on line 12; "
                  "left out",
                  "line 26: \"gopher://old.example.test/feed\" is not an http:// or https:// "
                  "URL; left out"}));
    EXPECT_EQ(imported.added, 4u);
    EXPECT_EQ(imported.left_out, 3u);
    auto added = load(imported.toml);
    ASSERT_EQ(added.feeds.size(), 4u);
    EXPECT_EQ(added.feeds[0].name, "Caspian Daily Wire (2)");
    EXPECT_EQ(added.feeds[0].category, "News/Caucasus");
    EXPECT_EQ(added.feeds[0].language, "en");
    EXPECT_EQ(added.feeds[1].name, "Alliance Review");
    EXPECT_EQ(added.feeds[1].url, "http://review.example.test/atom.xml"); // from feed://
    EXPECT_EQ(added.feeds[2].name, "Energy & Pipelines");
    EXPECT_EQ(added.feeds[2].category, "Business/Energy");
    EXPECT_EQ(added.feeds[3].name, "untitled.example.test"); // no title: the host
}

TEST(FeedList, CategoryIsCheckedAsAFolderPath) {
    unsetenv("NEWSMON_DATABASE_URL");
    for (const char* bad : {"\"\"", "\"/News\"", "\"News/\"", "\"News//World\"", "\"a\\u0001b\""}) {
        auto loaded = config::load_config_text(
            std::string("[[feed]]\nname = \"x\"\nurl = \"https://x.example.test/\"\ncategory = ") +
                bad + "\n",
            "test.toml");
        ASSERT_FALSE(loaded.config) << bad;
        EXPECT_NE(loaded.diagnostics.front().message.find("[[feed]] #1 category:"),
                  std::string::npos)
            << loaded.diagnostics.front().message;
    }
    EXPECT_EQ(load("[[feed]]\nname = \"x\"\nurl = \"https://x.example.test/\"\n"
                   "category = \"News/World\"\n")
                  .feeds[0]
                  .category,
              "News/World");
}

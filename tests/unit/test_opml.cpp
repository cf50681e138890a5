// parsers::read_opml and write_opml: subscriptions as feed readers export them, folders as
// categories, errors that name the place, hostile documents bounded, and what is written reads
// back the same.
#include <gtest/gtest.h>

#include "http_test_server.hpp" // read_fixture
#include "newsmon/parsers/opml.hpp"

using namespace newsmon::parsers;
using newsmon::testkit::read_fixture;

namespace {

Opml read_ok(const std::string& text) {
    auto opml = read_opml(text);
    EXPECT_TRUE(opml) << (opml ? "" : opml.error());
    return opml ? *opml : Opml{};
}

std::string error_of(const std::string& text, const OpmlLimits& limits = {}) {
    auto opml = read_opml(text, limits);
    EXPECT_FALSE(opml);
    return opml ? "" : opml.error();
}

} // namespace

TEST(OpmlRead, NestedOutlinesAreFoldersAndAttributesAnyCase) {
    Opml opml = read_ok(read_fixture("opml/reader_export_nested_folders.opml"));
    EXPECT_EQ(opml.title, "Subscriptions of the news desk");
    ASSERT_EQ(opml.feeds.size(), 7u);
    const auto& wire = opml.feeds[0];
    EXPECT_EQ(wire.title, "Caspian Daily Wire");
    EXPECT_EQ(wire.xml_url, "https://wire.example.test/rss.php");
    EXPECT_EQ(wire.html_url, "https://wire.example.test/");
    EXPECT_EQ(wire.language, "en");
    EXPECT_EQ(wire.category, "News/Caucasus");
    EXPECT_EQ(wire.line, 12u);
    EXPECT_EQ(opml.feeds[1].title, "Агентство"); // text, when there is no title
    EXPECT_EQ(opml.feeds[1].xml_url, "https://agency.example.test/ru/rss");  // xmlurl
    EXPECT_EQ(opml.feeds[2].title, "Alliance Review");                       // collapsed
    EXPECT_EQ(opml.feeds[2].xml_url, "feed://review.example.test/atom.xml"); // as written
    EXPECT_EQ(opml.feeds[2].category, "News");
    EXPECT_EQ(opml.feeds[3].title, "Energy & Pipelines");
    EXPECT_EQ(opml.feeds[3].category, "Business/Energy"); // the category attribute's first path
    EXPECT_EQ(opml.feeds[4].category, "");
    EXPECT_EQ(opml.feeds[5].xml_url, "gopher://old.example.test/feed");
    EXPECT_EQ(opml.feeds[6].title, "");
}

TEST(OpmlRead, DeclaredEncodingIsDecoded) {
    Opml opml = read_ok(read_fixture("opml/opml10_windows1251.opml"));
    EXPECT_EQ(opml.title, "Ленты");
    ASSERT_EQ(opml.feeds.size(), 2u);
    EXPECT_EQ(opml.feeds[0].title, "Лента новостей");
    EXPECT_EQ(opml.feeds[1].xml_url, "https://agency.example.test/rss");
}

TEST(OpmlRead, ErrorsNameTheLineAndTheElement) {
    EXPECT_EQ(error_of(read_fixture("opml/unclosed_outline.opml")),
              "line 7, column 5: Start-end tags mismatch");
    EXPECT_EQ(error_of(read_fixture("opml/no_body.opml")), "line 2: <opml>: <opml> has no <body>");
    EXPECT_EQ(error_of(read_fixture("feeds/rss20/all_sections_one_feed.xml")),
              "line 2: <rss>: the root element is <rss>, not <opml> (this is a feed, not a list "
              "of feeds)");
    EXPECT_EQ(error_of(""), "line 1, column 1: No document element found");
}

TEST(OpmlRead, HostileDocumentsAreBounded) {
    std::string deep = "<opml><body>";
    for (int i = 0; i < 100'000; ++i)
        deep += "<outline text=\"x\">";
    EXPECT_EQ(error_of(deep), "elements nest deeper than 64 levels");

    OpmlLimits small;
    small.max_feeds = 3;
    std::string many = "<opml><body>";
    for (int i = 0; i < 5; ++i)
        many += "<outline xmlUrl=\"https://x.example.test/" + std::to_string(i) + "\"/>\n";
    many += "</body></opml>";
    EXPECT_EQ(error_of(many, small), "line 4: <outline>: more than 3 feeds");

    small.max_bytes = 100;
    EXPECT_EQ(error_of(many, small), "larger than 100 bytes");

    // The DTD is not read: no entity of its own is expanded, no file is opened.
    Opml opml = read_ok(read_fixture("opml/entity_expansion.opml"));
    ASSERT_EQ(opml.feeds.size(), 1u);
    EXPECT_LT(opml.feeds[0].title.size(), 100u);
    EXPECT_EQ(opml.feeds[0].title.find("root:"), std::string::npos);
    EXPECT_LT(opml.title.size(), 100u);
}

TEST(OpmlWrite, FoldersPerCategoryAndEverythingEscaped) {
    std::vector<OpmlFeed> feeds = {
        {"Wire", "https://wire.example.test/rss?a=1&b=2", "", "en", "News/Caucasus", 0},
        {"Top", "https://top.example.test/rss", "https://top.example.test/", "", "", 0},
        {"<b>\"Agency\"</b> & co\x01", "https://agency.example.test/rss", "", "", "News", 0},
        {"Daily", "https://daily.example.test/rss", "", "", "News/Caucasus", 0},
    };
    std::string text = write_opml("newsmon feeds", feeds);
    EXPECT_NE(text.find("<opml version=\"2.0\">"), std::string::npos);
    EXPECT_NE(text.find("xmlUrl=\"https://wire.example.test/rss?a=1&amp;b=2\""), std::string::npos);
    EXPECT_NE(text.find("text=\"&lt;b&gt;&quot;Agency&quot;&lt;/b&gt; &amp; co\""),
              std::string::npos);
    EXPECT_EQ(text.find('\x01'), std::string::npos);
    // One "News" folder holding "Caucasus" once, the top-level feed first.
    EXPECT_EQ(text.find("<outline text=\"News\">"), text.rfind("<outline text=\"News\">"));
    EXPECT_EQ(text.find("<outline text=\"Caucasus\">"), text.rfind("<outline text=\"Caucasus\">"));
    EXPECT_LT(text.find("top.example.test"), text.find("<outline text=\"News\">"));

    Opml back = read_ok(text);
    EXPECT_EQ(back.title, "newsmon feeds");
    ASSERT_EQ(back.feeds.size(), 4u);
    EXPECT_EQ(back.feeds[0].title, "Top");
    EXPECT_EQ(back.feeds[0].html_url, "https://top.example.test/");
    EXPECT_EQ(back.feeds[1].title, "<b>\"Agency\"</b> & co");
    EXPECT_EQ(back.feeds[1].category, "News");
    EXPECT_EQ(back.feeds[2].xml_url, "https://wire.example.test/rss?a=1&b=2");
    EXPECT_EQ(back.feeds[2].category, "News/Caucasus");
    EXPECT_EQ(back.feeds[2].language, "en");
    EXPECT_EQ(back.feeds[3].category, "News/Caucasus");
}

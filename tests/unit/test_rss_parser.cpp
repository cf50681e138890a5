#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "http_test_server.hpp" // read_fixture
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/feed.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"

using namespace newsmon::parsers;
using newsmon::testkit::read_fixture;

namespace {

Feed parse_fixture(const std::string& name, const std::string& url = "") {
    ParseOptions options;
    options.feed_url = url;
    auto feed = parse_feed(read_fixture("feeds/" + name), options);
    EXPECT_TRUE(feed.has_value()) << (feed ? "" : feed.error().message);
    return feed ? *feed : Feed{};
}

std::string iso(const std::optional<Timestamp>& instant) {
    return instant ? format_rfc3339(*instant) : "null";
}

std::string html_of(const Item& item) {
    return item.content_html ? std::string(*item.content_html) : "";
}

} // namespace

TEST(Rss20, ReadsChannelAndItems) {
    Feed feed = parse_fixture("rss20/all_sections_one_feed.xml");
    EXPECT_EQ(feed.format, FeedFormat::rss2_0);
    EXPECT_EQ(feed.title, "Caspian Daily Wire");
    EXPECT_EQ(feed.link, "https://wire.example.test/");
    EXPECT_EQ(feed.language, "en");
    EXPECT_EQ(feed.ttl_minutes, 15);
    ASSERT_EQ(feed.items.size(), 5u);
    const Item& first = feed.items[0];
    EXPECT_EQ(first.title, "Foreign minister meets alliance envoys in Baku");
    EXPECT_EQ(first.guid, "https://wire.example.test/news/politics/1001.html");
    EXPECT_EQ(first.summary, "Talks covered peacekeeping and regional transport.");
    EXPECT_EQ(iso(first.published), "2025-11-07T06:10:00Z");
    EXPECT_EQ(first.categories, TextList{"Politics"});
    EXPECT_EQ(feed.items[3].categories, TextList{"Arts & Entertainment"});
    EXPECT_TRUE(feed.warnings.empty());
}

TEST(Rss20, OldSummerTimeOffsetIsHonoured) {
    Feed feed = parse_fixture("rss20/all_sections_one_feed.xml");
    EXPECT_EQ(iso(feed.items[2].published), "2014-09-01T11:22:00Z");
}

TEST(Rss20, CategoryFilterKeepsOnlyMatchingItems) {
    Feed feed = parse_fixture("rss20/all_sections_one_feed.xml");
    keep_categories(feed, {"Politics"});
    ASSERT_EQ(feed.items.size(), 3u);
    for (const auto& item : feed.items)
        EXPECT_NE(item.link.find("/politics/"), std::string::npos) << item.link;
}

TEST(Rss20, EmptyCategoryFilterKeepsEverything) {
    Feed feed = parse_fixture("rss20/all_sections_one_feed.xml");
    keep_categories(feed, {});
    EXPECT_EQ(feed.items.size(), 5u);
}

TEST(Rss20, MissingGuidFallsBackToLinkThenStableHash) {
    Feed feed = parse_fixture("rss20/items_without_guid.xml", "https://agency.example.test/rss");
    ASSERT_EQ(feed.items.size(), 3u);
    EXPECT_EQ(feed.items[0].link, "https://agency.example.test/en/news/1");
    EXPECT_EQ(feed.items[0].guid, "https://agency.example.test/en/news/1");
    EXPECT_EQ(feed.items[1].guid, "https://agency.example.test/en/news/2");
    EXPECT_TRUE(feed.items[2].guid.starts_with("hash:"));
    Feed again = parse_fixture("rss20/items_without_guid.xml", "https://agency.example.test/rss");
    EXPECT_EQ(again.items[2].guid, feed.items[2].guid);
}

TEST(Rss20, GuidRepeatedAcrossItemsIsNotTrusted) {
    Feed feed = parse_fixture("rss20/same_guid_every_item.xml");
    ASSERT_EQ(feed.items.size(), 2u);
    EXPECT_EQ(feed.items[0].guid, "https://one.example.test/az/news/1");
    EXPECT_EQ(feed.items[1].guid, "https://one.example.test/az/news/2");
    ASSERT_EQ(feed.warnings.size(), 1u);
    EXPECT_NE(feed.warnings[0].find("same guid"), std::string::npos);
}

// Guids are checked item by item as each is read: a repeat is found however many items lie
// between the two (the table grows on the way), in the last item too, and in every format.
std::string rss_with_guids(const std::vector<std::string>& guids) {
    std::string text = "<rss version=\"2.0\"><channel><title>T</title>";
    for (std::size_t i = 0; i < guids.size(); ++i)
        text += "<item><title>" + std::to_string(i) + "</title><link>https://news.example.test/" +
                std::to_string(i) + "</link><guid>" + guids[i] + "</guid></item>";
    return text + "</channel></rss>";
}

TEST(Guids, ManyDistinctGuidsAreKept) {
    std::vector<std::string> guids;
    for (int i = 0; i < 300; ++i)
        guids.push_back("urn:story:" + std::to_string(i));
    auto feed = parse_feed(rss_with_guids(guids));
    ASSERT_TRUE(feed.has_value());
    ASSERT_EQ(feed->items.size(), 300u);
    EXPECT_TRUE(feed->warnings.empty());
    for (std::size_t i = 0; i < guids.size(); ++i)
        EXPECT_EQ(std::string(feed->items[i].guid), guids[i]);
}

TEST(Guids, ARepeatInTheLastOfManyItemsIsFound) {
    std::vector<std::string> guids;
    for (int i = 0; i < 300; ++i)
        guids.push_back("urn:story:" + std::to_string(i));
    guids.back() = guids.front();
    auto feed = parse_feed(rss_with_guids(guids));
    ASSERT_TRUE(feed.has_value());
    EXPECT_EQ(feed->items.front().guid, "https://news.example.test/0");
    EXPECT_EQ(feed->items.back().guid, "https://news.example.test/299");
    EXPECT_EQ(feed->items[1].guid, "urn:story:1");
    ASSERT_EQ(feed->warnings.size(), 1u);
    EXPECT_NE(feed->warnings[0].find("same guid"), std::string::npos);
}

TEST(Guids, ARepeatInTheLastItemIsFoundInEveryFormat) {
    const char* rdf = // the items beside the channel first, then one a generator nested inside
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>T</title>"
        "<item rdf:about=\"urn:a\"><link>https://news.example.test/3</link></item></channel>"
        "<item rdf:about=\"urn:a\"><link>https://news.example.test/1</link></item>"
        "<item rdf:about=\"urn:b\"><link>https://news.example.test/2</link></item></rdf:RDF>";
    const char* atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
                       "<entry><id>urn:a</id><link href=\"https://news.example.test/1\"/></entry>"
                       "<entry><id>urn:b</id><link href=\"https://news.example.test/2\"/></entry>"
                       "<entry><id>urn:a</id><link href=\"https://news.example.test/3\"/></entry>"
                       "</feed>";
    const char* json = R"({"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
        {"id": "urn:a", "url": "https://news.example.test/1"},
        {"id": "urn:b", "url": "https://news.example.test/2"},
        {"id": "urn:a", "url": "https://news.example.test/3"}]})";
    for (const char* text : {rdf, atom, json}) {
        auto feed = parse_feed(text);
        ASSERT_TRUE(feed.has_value()) << text;
        ASSERT_EQ(feed->items.size(), 3u) << text;
        EXPECT_EQ(feed->items[0].guid, "https://news.example.test/1") << text;
        EXPECT_EQ(feed->items[1].guid, "urn:b") << text;
        EXPECT_EQ(feed->items[2].guid, "https://news.example.test/3") << text;
    }
}

TEST(ItemLinks, AScriptLinkInTheLastItemAndTheFeedLinkAreDroppedWithOneWarning) {
    auto feed = parse_feed("<rss version=\"2.0\"><channel><title>T</title>"
                           "<link>javascript:alert(1)</link>"
                           "<item><guid>urn:a</guid><link>https://news.example.test/a</link></item>"
                           "<item><guid>urn:b</guid><link>javascript:alert(2)</link></item>"
                           "</channel></rss>");
    ASSERT_TRUE(feed.has_value());
    EXPECT_EQ(feed->link, "");
    EXPECT_EQ(feed->items[0].link, "https://news.example.test/a");
    EXPECT_EQ(feed->items[1].link, "");
    EXPECT_EQ(feed->warnings, std::vector<std::string>{
                                  "links with a scheme other than http or https were dropped"});
}

TEST(Rss20, NamespacedModulesAndEnclosures) {
    Feed feed =
        parse_fixture("rss20/namespaces_and_enclosures.xml", "https://review.example.test/rss");
    ASSERT_EQ(feed.items.size(), 1u);
    const Item& item = feed.items[0];
    EXPECT_EQ(item.title, "Партнёрство ради мира: тридцать лет");
    EXPECT_EQ(item.guid, "review-2025-11-07-01");
    EXPECT_EQ(item.authors, TextList{"Leyla Məmmədova"});
    EXPECT_EQ(iso(item.published), "2025-11-07T06:10:00Z");
    ASSERT_TRUE(item.content_html);
    EXPECT_EQ(*item.content_html, "<p>Первый абзац.</p><p>Второй абзац.</p>");
    ASSERT_EQ(item.enclosures.size(), 1u);
    EXPECT_EQ(item.enclosures[0].url, "https://cdn.review.example.test/img/1.jpg");
    EXPECT_EQ(item.enclosures[0].type, "image/jpeg");
    EXPECT_EQ(item.enclosures[0].length, 12345);
}

TEST(Rss20, HtmlPageIsNotAFeed) {
    auto result = parse_feed(read_fixture("feeds/html_page.html"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ParseErrorKind::not_a_feed);
}

TEST(Rss20, TruncatedDocumentKeepsNoHalfItemAndSaysWhere) {
    auto result = parse_feed(read_fixture("feeds/rss20/truncated.xml"));
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(result->items.empty());
    ASSERT_EQ(result->warnings.size(), 1u);
    EXPECT_NE(result->warnings[0].find("line 2, column "), std::string::npos)
        << result->warnings[0];
}

TEST(Rss20, NoRootElementIsNotXml) {
    auto result = parse_feed("<?xml version=\"1.0\"?>\n<");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ParseErrorKind::not_xml);
    EXPECT_TRUE(result.error().message.starts_with("line 2, column ")) << result.error().message;
}

TEST(Rss20, EmptyInputIsAnErrorNotACrash) {
    auto result = parse_feed("");
    ASSERT_FALSE(result.has_value());
}

TEST(Rss20, ItemLimitStopsWithAWarning) {
    ParseOptions options;
    options.max_items = 2;
    auto feed = parse_feed(read_fixture("feeds/rss20/all_sections_one_feed.xml"), options);
    ASSERT_TRUE(feed);
    EXPECT_EQ(feed->items.size(), 2u);
    ASSERT_EQ(feed->warnings.size(), 1u);
}

TEST(Encodings, LabelsThatLookLikeWindowsButAreNotAreUnknownNotACrash) {
    for (const char* label : {"wind", "win", "win-", "cp-", "windows-"}) {
        std::string feed = std::string("<?xml version=\"1.0\" encoding=\"") + label +
                           "\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>";
        auto result = parse_feed(feed);
        ASSERT_TRUE(result.has_value()) << label;
        EXPECT_EQ(result->title, "t");
    }
}

TEST(Limits, InputOverTheSizeCapIsRefused) {
    ParseOptions options;
    options.max_bytes = 1000;
    auto result = parse_feed(std::string(1001, ' '), options);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ParseErrorKind::too_large);
    EXPECT_NE(result.error().message.find("1001 bytes"), std::string::npos);
}

TEST(Limits, DeepNestingIsRefusedQuickly) {
    std::string deep = "<rss version=\"2.0\"><channel>";
    for (int i = 0; i < 100'000; ++i)
        deep += "<x>";
    auto started = std::chrono::steady_clock::now();
    auto result = parse_feed(deep);
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ParseErrorKind::too_deep);
    EXPECT_LT(took, std::chrono::seconds{1});
}

TEST(Limits, NestingWithinTheCapParses) {
    std::string nested = "<rss version=\"2.0\"><channel><title>t</title><item><title>i</title>";
    for (int i = 0; i < 100; ++i)
        nested += "<x>";
    for (int i = 0; i < 100; ++i)
        nested += "</x>";
    nested += "</item></channel></rss>";
    auto result = parse_feed(nested);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->items.size(), 1u);
}

TEST(Limits, HugeItemCountStopsAtTheCap) {
    std::string feed = "<rss version=\"2.0\"><channel><title>t</title>";
    for (int i = 0; i < 50'000; ++i)
        feed += "<item><title>x" + std::to_string(i) + "</title></item>";
    feed += "</channel></rss>";
    ParseOptions options;
    options.max_items = 10'000;
    auto result = parse_feed(feed, options);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->items.size(), 10'000u);
    EXPECT_NE(result->warnings.back().find("item limit of 10000"), std::string::npos);
}

TEST(Limits, BillionLaughsParsesQuicklyWithoutExpansion) {
    auto started = std::chrono::steady_clock::now();
    auto result = parse_feed(read_fixture("feeds/broken/billion_laughs.xml"));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds{100});
    ASSERT_TRUE(result.has_value());
    EXPECT_LT(result->title.size(), 40u);
}

TEST(Identity, CanonicalUrlDropsTrackingAndNormalizesHost) {
    EXPECT_EQ(canonical_url(
                  "HTTPS://News.Example.TEST:443/a/./b/../c?utm_source=rss&id=7&utm_medium=x#top"),
              "https://news.example.test/a/c?id=7");
    EXPECT_EQ(canonical_url("http://example.test"), "http://example.test/");
    EXPECT_EQ(canonical_url("/relative/only"), "");
}

TEST(Identity, TitleKeyFoldsCaseAndPunctuationInEveryScript) {
    EXPECT_EQ(title_key("NATO: Summit Opens!"), title_key("Nato summit opens"));
    EXPECT_EQ(title_key("АЗЕРБАЙДЖАН и НАТО"), title_key("Азербайджан и НАТО."));
    EXPECT_EQ(title_key("Azərbaycan — NATO"), "azərbaycannato");
    EXPECT_EQ(title_key("..."), "");
    // Numbers run together would merge different reports.
    EXPECT_NE(title_key("NATO drill report 1/12"), title_key("NATO drill report 11/2"));
    EXPECT_EQ(title_key("Score 1-12"), "score1-12");
    EXPECT_EQ(title_key("Oil at $81.5"), title_key("oil at 81.5"));
    EXPECT_EQ(title_key("2025 budget"), "2025budget");
}

TEST(Identity, ChangeDigestSeesEveryByteAndEveryLength) {
    std::string text(1000, 'a');
    std::string changed = text;
    changed[997] = 'b';
    EXPECT_NE(change_digest_hex(text), change_digest_hex(changed));
    EXPECT_NE(change_digest_hex("abc"), change_digest_hex(std::string("abc\0", 4)));
    EXPECT_EQ(change_digest_hex(text), change_digest_hex(std::string(1000, 'a')));
    EXPECT_EQ(change_digest_hex("").size(), 16u);
}

// CDATA sections: pugixml parses a skeleton without their content, which is read from the
// text as items ask for it; short and long feeds (the padding item) must read the same.
namespace {

std::string rss_with_items(const std::string& items, bool pad) {
    std::string padding;
    if (pad)
        padding = "<item><title>pad</title><guid>pad</guid><content:encoded><![CDATA[<p>" +
                  std::string(4000, 'x') + "</p>]]></content:encoded></item>";
    return "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
           "<channel><title>c</title>" +
           items + padding + "</channel></rss>";
}

Item first_item(const std::string& feed_text) {
    auto feed = parse_feed(feed_text);
    EXPECT_TRUE(feed.has_value()) << (feed ? "" : feed.error().message);
    if (!feed || feed->items.empty())
        return {};
    return feed->items.front();
}

} // namespace

// A feed of `count` items whose text is long enough to live outside the string objects.
std::string numbered_feed(int count) {
    std::string items;
    for (int i = 0; i < count; ++i) {
        std::string n = std::to_string(i);
        items += "<item><title>Story number " + n + " about talks in Baku</title><guid>" +
                 "https://wire.example.test/news/" + n + "</guid><category>Category " + n +
                 " of the wire</category><content:encoded><![CDATA[<p>Paragraph of story " + n +
                 " " + std::string(200, 'x') + "</p>]]></content:encoded></item>";
    }
    return rss_with_items(items, false);
}

Text expected_title(std::size_t i) {
    return Text("Story number " + std::to_string(i) + " about talks in Baku");
}

TEST(ItemMemory, TextLivesInOneArenaTheItemsShare) {
    auto feed = parse_feed(numbered_feed(50));
    ASSERT_TRUE(feed.has_value());
    ASSERT_EQ(feed->items.size(), 50U);
    std::pmr::memory_resource* arena = feed->items[0].memory.get();
    ASSERT_NE(arena, nullptr);
    EXPECT_NE(arena, std::pmr::get_default_resource());
    for (const Item& item : feed->items) {
        EXPECT_EQ(item.memory.get(), arena);
        EXPECT_EQ(item.title.get_allocator().resource(), arena);
        EXPECT_EQ(item.categories.get_allocator().resource(), arena);
        ASSERT_TRUE(item.content_html);
        EXPECT_EQ(item.content_html->get_allocator().resource(), arena);
    }
}

TEST(ItemMemory, ItemsOutliveTheirFeed) {
    std::vector<Item> kept;
    {
        auto feed = parse_feed(numbered_feed(300));
        ASSERT_TRUE(feed.has_value());
        for (auto& item : feed->items)
            kept.push_back(std::move(item));
    }
    ASSERT_EQ(kept.size(), 300U);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        EXPECT_EQ(kept[i].title, expected_title(i));
        EXPECT_EQ(kept[i].categories,
                  TextList{Text("Category " + std::to_string(i) + " of the wire")});
        EXPECT_EQ(html_of(kept[i]), "<p>Paragraph of story " + std::to_string(i) + " " +
                                        std::string(200, 'x') + "</p>");
    }
}

TEST(ItemMemory, ACopyKeepsItsTextOnTheHeap) {
    Item copy;
    {
        auto feed = parse_feed(numbered_feed(3));
        ASSERT_TRUE(feed.has_value());
        copy = feed->items[1];
    }
    EXPECT_EQ(copy.title, expected_title(1));
    EXPECT_EQ(copy.title.get_allocator().resource(), std::pmr::get_default_resource());
    EXPECT_EQ(copy.memory.get(), std::pmr::get_default_resource()); // holds no arena
}

// Moved text may stay in the arena it came from (an empty optional is moved into, not
// assigned), so moving an item, into a new one or onto an old one, brings the arena along.
TEST(ItemMemory, MovedItemsKeepTheArenaTheirTextCameFrom) {
    Item onto_heap_item;
    std::optional<Item> constructed;
    std::optional<Item> onto_other_arena;
    {
        auto other = parse_feed(numbered_feed(1));
        ASSERT_TRUE(other.has_value());
        onto_other_arena.emplace(std::move(other->items[0]));
        auto feed = parse_feed(numbered_feed(4));
        ASSERT_TRUE(feed.has_value());
        onto_heap_item = std::move(feed->items[2]);
        constructed.emplace(std::move(feed->items[1]));
        *onto_other_arena = std::move(feed->items[3]);
    }
    EXPECT_EQ(onto_heap_item.title, expected_title(2));
    EXPECT_EQ(html_of(onto_heap_item), "<p>Paragraph of story 2 " + std::string(200, 'x') + "</p>");
    EXPECT_EQ(constructed->title, expected_title(1)); // the arena lives on through this item
    EXPECT_EQ(constructed->title.get_allocator().resource(), constructed->memory.get());
    EXPECT_EQ(onto_other_arena->title, expected_title(3));
    EXPECT_EQ(html_of(*onto_other_arena),
              "<p>Paragraph of story 3 " + std::string(200, 'x') + "</p>");
    // Freed in an order that leaves each item the last holder of what it uses.
    constructed.reset();
    onto_other_arena.reset();
    EXPECT_EQ(html_of(onto_heap_item), "<p>Paragraph of story 2 " + std::string(200, 'x') + "</p>");
}

// After the parse the items may be changed on any thread: the arena then serializes its
// allocations, and no two strings end up in the same memory.
TEST(ItemMemory, ItemsChangedOnSeveralThreadsAfterTheParse) {
    auto feed = parse_feed(numbered_feed(400));
    ASSERT_TRUE(feed.has_value());
    auto& items = feed->items;
    std::vector<std::string> summaries;
    for (const auto& item : items)
        summaries.emplace_back(item.summary);
    constexpr std::size_t k_threads = 4;
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < k_threads; ++t) {
        threads.emplace_back([&items, t] {
            for (std::size_t round = 0; round < 20; ++round)
                for (std::size_t i = t; i < items.size(); i += k_threads)
                    items[i].summary += "[" + std::to_string(i) + ":" + std::to_string(round) +
                                        "]" + std::string(40, 'a' + static_cast<char>(t));
        });
    }
    for (auto& thread : threads)
        thread.join();
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string expected = summaries[i];
        for (std::size_t round = 0; round < 20; ++round)
            expected += "[" + std::to_string(i) + ":" + std::to_string(round) + "]" +
                        std::string(40, 'a' + static_cast<char>(i % k_threads));
        ASSERT_EQ(std::string_view(items[i].summary), expected) << "item " << i;
        ASSERT_EQ(items[i].title, expected_title(i));
    }
}

TEST(Cdata, SameTextInShortAndLongFeeds) {
    std::string item = "<item><guid>g1</guid><title>Mixed <![CDATA[<b>bold</b>]]> title</title>"
                       "<description>Lead &amp; <![CDATA[more & more]]></description>"
                       "<content:encoded><![CDATA[<p>Line one\r\nline two\rthree</p>"
                       "<script>x()</script>]]></content:encoded></item>";
    for (bool pad : {false, true}) {
        Item read = first_item(rss_with_items(item, pad));
        EXPECT_EQ(read.title, "Mixed bold title") << "pad=" << pad;
        EXPECT_EQ(read.summary, "Lead & more & more") << "pad=" << pad;
        EXPECT_EQ(html_of(read), "<p>Line one\nline two\nthree</p>") << "pad=" << pad;
    }
}

TEST(Cdata, SectionsSplitAroundTheirOwnTerminatorJoin) {
    std::string item = "<item><guid>g1</guid><title><![CDATA[a ]]]]><![CDATA[> b]]></title></item>";
    EXPECT_EQ(first_item(rss_with_items(item, true)).title, "a ]]> b");
}

TEST(Cdata, SectionInsideXhtmlMarkupIsKept) {
    std::string feed =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><id>urn:f</id>"
        "<entry><id>urn:1</id><title>e</title><updated>2025-01-01T00:00:00Z</updated>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p><![CDATA[x < y " +
        std::string(2000, 'z') + "]]></p></div></content></entry></feed>";
    auto parsed = parse_feed(feed);
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(parsed->items.size(), 1U);
    EXPECT_EQ(html_of(parsed->items[0]), "<p>x &lt; y " + std::string(2000, 'z') + "</p>");
}

TEST(Cdata, BrokenDocumentFallsBackToTheFullTextAndKeepsCompleteItems) {
    std::string feed =
        rss_with_items("<item><guid>g1</guid><content:encoded><![CDATA[<p>" +
                           std::string(3000, 'k') + "</p>]]></content:encoded></item>",
                       false);
    feed.erase(feed.find("</channel>")); // cut off after the first item
    feed += "<item><guid>g2</guid><title>half";
    auto parsed = parse_feed(feed);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    ASSERT_EQ(parsed->items.size(), 1U);
    EXPECT_EQ(html_of(parsed->items[0]).size(), 3000U + 7U);
    ASSERT_FALSE(parsed->warnings.empty());
    EXPECT_NE(parsed->warnings.back().find("breaks off"), std::string::npos);
}

TEST(Cdata, ForbiddenControlsInsideSectionsAreRemovedWithAWarning) {
    std::string words(300, 'w'); // the control well inside the section
    std::string item = "<item><guid>g1</guid><title>A title</title><content:encoded><![CDATA[<p>" +
                       words + " bell\x07 here</p>]]></content:encoded></item>";
    for (bool pad : {false, true}) {
        auto parsed = parse_feed(rss_with_items(item, pad));
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
        const Item& read = parsed->items.front();
        EXPECT_EQ(read.title, "A title") << "pad=" << pad;
        EXPECT_EQ(html_of(read), "<p>" + words + " bell here</p>") << "pad=" << pad;
        bool warned = false;
        for (const auto& warning : parsed->warnings)
            warned = warned || warning.find("removed 1 control character") != std::string::npos;
        EXPECT_TRUE(warned) << "pad=" << pad;
    }
}

TEST(JsonFeed, ForbiddenControlsAreRemovedBeforeParsing) {
    std::string feed = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"t\", "
                       "\"items\": [{\"id\": \"1\", \"title\": \"Bell\x07 title\"}]}";
    auto parsed = parse_feed(feed);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    ASSERT_EQ(parsed->items.size(), 1U);
    EXPECT_EQ(parsed->items[0].title, "Bell title");
}

// Tags written as the sanitizer writes them are copied with the text around them; the rest is
// rewritten or dropped.
TEST(Html, SanitizerKeepsPlainTagsAndRewritesTheRest) {
    EXPECT_EQ(sanitize_html("a <1> b <p>c</p><B>d</B><br/><em>e</em>", ""),
              "a &lt;1> b <p>c</p><b>d</b><br /><em>e</em>");
    EXPECT_EQ(sanitize_html("<p onclick=\"x()\">t</p><script>bad()</script><!-- c -->u", ""),
              "<p>t</p>u");
    EXPECT_EQ(sanitize_html("<a href=\"/x\">l</a>", "https://h.example.test/f"),
              "<a href=\"https://h.example.test/x\">l</a>");
}

TEST(Html, PlainTextCollapsesSpaceAndDecodesOnce) {
    EXPECT_EQ(html_to_text("  Already   plain  "), "Already plain");
    EXPECT_EQ(html_to_text("Plain title"), "Plain title");
    EXPECT_EQ(html_to_text("<p>One</p><p>two&nbsp;&amp;\tthree</p>"), "One two & three");
    EXPECT_EQ(html_to_text("&lt;b&gt;escaped&lt;/b&gt; twice &amp;amp; more"),
              "escaped twice & more");
    EXPECT_EQ(html_to_text("cut at the end &nbs"), "cut at the end");
    EXPECT_EQ(html_to_text(std::string(40, 'x') + "  " + std::string(20, 'y') + " "),
              std::string(40, 'x') + " " + std::string(20, 'y'));
}

TEST(Cdata, InvalidUtf8InsideASectionIsRepairedWhenRead) {
    std::string item = "<item><guid>g1</guid><title>t</title><content:encoded><![CDATA[<p>" +
                       std::string(200, 'w') + " bad\xC3\x28 byte</p>]]></content:encoded></item>";
    auto parsed = parse_feed(rss_with_items(item, true));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(html_of(parsed->items.front()),
              "<p>" + std::string(200, 'w') + " bad\xEF\xBF\xBD( byte</p>");
    bool warned = false;
    for (const auto& warning : parsed->warnings)
        warned = warned || warning == "1 invalid UTF-8 sequence(s) replaced with U+FFFD";
    EXPECT_TRUE(warned);
}

TEST(Cdata, InvalidUtf8OutsideSectionsDecodesTheWholeFeed) {
    std::string item = "<item><guid>g1</guid><title>bad\xFF title</title><content:encoded>"
                       "<![CDATA[<p>fine</p>]]></content:encoded></item>";
    auto parsed = parse_feed(rss_with_items(item, true));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->items.front().title, "bad\xEF\xBF\xBD title");
    EXPECT_EQ(html_of(parsed->items.front()), "<p>fine</p>");
}

TEST(Encodings, WarningsShowOnlyPrintableAsciiOfAnEncodingLabel) {
    auto parsed = parse_feed("<?xml version=\"1.0\" encoding=\"x\xEF\xBF\xBF\xFF\x01y\"?>"
                             "<rss version=\"2.0\"><channel><title>t</title></channel></rss>");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    bool shown = false;
    for (const auto& warning : parsed->warnings)
        shown = shown || warning.find("unknown encoding \"x?????y\"") != std::string::npos;
    EXPECT_TRUE(shown);
}

TEST(Html, PageLinksInTheErrorAreCleanText) {
    auto parsed =
        parse_feed("<!DOCTYPE html><html><head><link rel=\"alternate\" "
                   "type=\"application/rss+xml\" href=\"/feed\xEF\xBF\xBF.xml\"></head>"
                   "</html>",
                   ParseOptions{"https://site.example.test/", "", 1U << 20, 100, 256, ""});
    ASSERT_FALSE(parsed.has_value());
    ASSERT_EQ(parsed.error().advertised_feeds.size(), 1U);
    EXPECT_EQ(parsed.error().advertised_feeds[0], "https://site.example.test/feed.xml");
}

namespace {

// The links of a feed's items, in order, after parsing `text` fetched from `url`.
std::vector<std::string> item_links(const std::string& text,
                                    const std::string& url = "https://news.example.test/feed") {
    ParseOptions options;
    options.feed_url = url;
    auto feed = parse_feed(text, options);
    EXPECT_TRUE(feed.has_value()) << (feed ? "" : feed.error().message);
    std::vector<std::string> links;
    if (feed)
        for (const auto& item : feed->items)
            links.emplace_back(item.link);
    return links;
}

const std::vector<std::string> k_kept_and_dropped = {"https://news.example.test/a", "", "", "", "",
                                                     "https://news.example.test/b"};

} // namespace

TEST(ItemLinks, Rss20KeepsOnlyHttpAndHttps) {
    std::string text = "<rss version=\"2.0\"><channel><title>T</title>";
    for (const char* link :
         {"/a", "javascript:alert(1)", "data:text/html,&lt;b&gt;x", "JaVaScRiPt:alert(1)",
          "java&#9;script:alert(1)", "HTTPS://news.example.test/b"})
        text += std::string("<item><title>x</title><link>") + link + "</link></item>";
    text += "</channel></rss>";
    auto links = item_links(text);
    links.back() = links.back() == "HTTPS://news.example.test/b" ? "https://news.example.test/b"
                                                                 : links.back();
    EXPECT_EQ(links, k_kept_and_dropped);
}

TEST(ItemLinks, Rss20AJavascriptGuidIsNotTakenAsTheLink) {
    auto links = item_links("<rss version=\"2.0\"><channel><title>T</title><item><title>x</title>"
                            "<guid>javascript:alert(1)</guid></item></channel></rss>");
    EXPECT_EQ(links, std::vector<std::string>{""});
}

TEST(ItemLinks, Rss10KeepsOnlyHttpAndHttps) {
    auto links = item_links("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                            "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>T</title></channel>"
                            "<item><title>a</title><link>https://news.example.test/a</link></item>"
                            "<item><title>b</title><link>javascript:alert(1)</link></item>"
                            "<item><title>c</title><link>vbscript:msgbox</link></item></rdf:RDF>");
    EXPECT_EQ(links, (std::vector<std::string>{"https://news.example.test/a", "", ""}));
}

TEST(ItemLinks, AtomKeepsOnlyHttpAndHttps) {
    std::string text = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>";
    for (const char* link : {"/a", "javascript:alert(1)", "data:text/html;base64,PGI+",
                             "file:///etc/passwd", " javascript:alert(1)", "b"})
        text += std::string("<entry><title>x</title><id>") + link + "</id><link href=\"" + link +
                "\"/></entry>";
    text += "</feed>";
    EXPECT_EQ(item_links(text, "https://news.example.test/"), k_kept_and_dropped);
}

TEST(ItemLinks, JsonFeedKeepsOnlyHttpAndHttps) {
    std::string text =
        R"({"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [)";
    const char* links[] = {"/a",        "javascript:alert(1)",    "data:text/html,x",
                           "ftp://x/y", "java\\nscript:alert(1)", "https://news.example.test/b"};
    for (std::size_t i = 0; i < std::size(links); ++i)
        text += std::string(i ? "," : "") + R"({"id": ")" + std::to_string(i) + R"(", "url": ")" +
                links[i] + R"(", "title": "x"})";
    text += "]}";
    EXPECT_EQ(item_links(text), k_kept_and_dropped);
}

TEST(ItemLinks, WebLinksAreHttpHttpsOrWithoutAScheme) {
    for (const char* good :
         {"http://a.test/", "HTTPS://a.test/x", "/path", "page.html?x=a:b", "//a.test/x", "#top"})
        EXPECT_TRUE(is_web_link(good)) << good;
    for (const char* bad : {"javascript:alert(1)", "data:,x", "mailto:a@b", "java\tscript:x",
                            "https://a.test/ x", "\x01http://a.test/", "feed:http://a.test/"})
        EXPECT_FALSE(is_web_link(bad)) << bad;
}

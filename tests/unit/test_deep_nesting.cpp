// Pages and feeds that nest elements tens of thousands deep (140 KB of markup): every walk over
// them, and gumbo's own work, must finish without running out of stack or time. The deep walks
// run on threads with small stacks, so that recursion shows as a crash at depths a test can
// afford to parse.
#include <gtest/gtest.h>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/feed.hpp"
#include "newsmon/parsers/html.hpp"

using namespace newsmon::parsers;

namespace {

const char* const k_story =
    "<h1>Parliament passes the budget</h1><p>The parliament passed the budget on Tuesday, "
    "after a debate that lasted, by the speaker's count, eleven hours.</p>";

// `depth` elements, cycling through `tags`, each opened with a word of text after it; closed
// in order when `closed`.
std::string nested(const std::vector<std::string>& tags, std::size_t depth, bool closed) {
    std::string html;
    for (std::size_t i = 0; i < depth; ++i)
        html += "<" + tags[i % tags.size()] + ">w";
    for (std::size_t i = depth; closed && i-- > 0;)
        html += "</" + tags[i % tags.size()] + ">";
    return html;
}

std::string page(const std::string& body) {
    return std::string("<!DOCTYPE html><html><head><title>Budget</title></head><body>") + k_story +
           body + "</body></html>";
}

// Runs `work` on a thread with a stack of `bytes`.
void on_stack_of(std::size_t bytes, std::function<void()> work) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, bytes);
    pthread_t thread;
    auto run = [](void* argument) -> void* {
        (*static_cast<std::function<void()>*>(argument))();
        return nullptr;
    };
    ASSERT_EQ(pthread_create(&thread, &attributes, run, &work), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attributes);
}

struct Shape {
    const char* name;
    std::string body; // a word "w" inside each element
    std::size_t depth;
    bool visible = true; // whether a reader sees the words
};

std::size_t words_in(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), 'w'));
}

// The shapes the audit tried, at 20,000 and 100,000 levels.
std::vector<Shape> deep_shapes() {
    std::vector<Shape> shapes;
    for (std::size_t depth : {std::size_t{20'000}, std::size_t{100'000}}) {
        std::string n = std::to_string(depth);
        shapes.push_back({"div", nested({"div"}, depth, true), depth});
        shapes.push_back({"span", nested({"span"}, depth, true), depth});
        shapes.push_back({"b", nested({"b"}, depth, false), depth});
        shapes.push_back(
            {"mixed unclosed", nested({"div", "span", "b", "i", "section"}, depth, false), depth});
        shapes.push_back({"in tables", nested({"table", "tr", "td"}, depth, false), depth});
        shapes.push_back({"lists", nested({"ul", "li"}, depth, false), depth});
        shapes.push_back({"self-closing divs", nested({"div/"}, depth, false), depth});
        shapes.push_back({"svg", "<svg>" + nested({"g"}, depth, false), depth, false});
        shapes.push_back(
            {"in noscript", "<noscript>" + nested({"div"}, depth, false), depth, false});
    }
    return shapes;
}

} // namespace

TEST(DeepNesting, ExtractRefusesAPageNestedTooDeepAtOnce) {
    for (const auto& shape : deep_shapes()) {
        SCOPED_TRACE(shape.name);
        auto started = std::chrono::steady_clock::now();
        auto extracted = extract_article(page(shape.body), {});
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_FALSE(extracted);
        EXPECT_EQ(extracted.error().message,
                  "elements nest deeper than the limit of 256 levels; the page is not parsed");
        EXPECT_LT(took, std::chrono::seconds(2));
    }
}

TEST(DeepNesting, ExtractRefusesNestingThatEndTagsDoNotUndo) {
    // End tags that look as if they close everything, but which gumbo ignores or undoes: the
    // nesting still grows with each repetition.
    for (const auto& [unit, name] : std::vector<std::pair<std::string, const char*>>{
             {"<div><b><i><u></div>x", "formatting reopened after each </div>"},
             {"<div><b id=1><b id=2><b id=3><b id=4></div>x", "distinct formatting reopened"},
             {"<span><div></span>", "</span> does not close a <div>"},
             {"<div><table><td></div>", "</div> does not reach past a cell"},
             {"<div></body>", "</body> closes nothing"},
             {"<p>w<b>w<i>w</p>w", "formatting left open in paragraphs"},
             {"<div><b class=x></div>", "formatting piling up without text"},
             {"<tle><tr><ttd>", "a <tr> outside a table closes nothing"},
             {"<section><td><tbody>", "cells and bodies outside a table close nothing"}}) {
        SCOPED_TRACE(name);
        std::string body;
        for (int i = 0; i < 7'000; ++i) {
            std::string each = unit; // formatting elements that differ, which gumbo all keeps
            if (auto at = each.find("class=x"); at != std::string::npos)
                each.insert(at + 7, std::to_string(i));
            body += each;
        }
        auto started = std::chrono::steady_clock::now();
        auto extracted = extract_article(page(body), {});
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
        ASSERT_FALSE(extracted);
        EXPECT_NE(extracted.error().message.find("limit of 256"), std::string::npos);
    }
}

TEST(DeepNesting, ExtractKeepsPagesThatOnlyLookDeep) {
    // Elements HTML closes by itself do not nest: thousands of unclosed <p>, <li>, <td> and
    // <dd>, and <a> inside <a>, are a flat page.
    for (const auto& [tags, name] : std::vector<std::pair<std::vector<std::string>, const char*>>{
             {{"p"}, "paragraphs"},
             {{"li"}, "items"},
             {{"tr", "td", "td"}, "cells"},
             {{"dt", "dd"}, "definitions"},
             {{"p", "a"}, "links"},
             {{"h2", "h3"}, "headings"},
             {{"p", "span", "b", "p", "i"}, "formatted paragraphs"},
             {{"td", "font", "/td"}, "fonts left open in cells"},
             {{"div", "b", "/div", "div", "/b", "/div"}, "misnested formatting"}}) {
        SCOPED_TRACE(name);
        std::string soup = nested(tags, 5'000, false);
        if (tags.front() == "li")
            soup = "<ul>" + soup;
        else if (tags.front() == "tr" || tags.front() == "td")
            soup = "<table>" + soup;
        auto extracted = extract_article(page(soup + nested({"div"}, 200, true)), {});
        ASSERT_TRUE(extracted) << extracted.error().message;
        EXPECT_EQ(extracted->title, "Parliament passes the budget");
    }
}

TEST(DeepNesting, ExtractWalksDeepTreesWithoutRecursion) {
    // The limit raised: gumbo's tree is thousands deep, and every walk over it (metadata, body,
    // text, freeing the tree) has to fit a 64 KB stack.
    for (const auto& tags : std::vector<std::vector<std::string>>{
             {"div"}, {"span"}, {"div", "span", "b", "a", "h2", "blockquote", "li"}}) {
        std::string body = "<div class=\"story\">" + nested(tags, 3'000, false) +
                           "<p>At the bottom, a paragraph long enough to count, with commas, "
                           "clauses and words.</p>";
        on_stack_of(64 * 1024, [&] {
            ExtractOptions options;
            options.max_depth = std::numeric_limits<std::size_t>::max();
            auto extracted = extract_article(page(body), options);
            ASSERT_TRUE(extracted) << extracted.error().message;
            EXPECT_EQ(extracted->title, "Parliament passes the budget");
            EXPECT_NE(extracted->content_text.find("The parliament passed the budget"),
                      std::string::npos);
        });
    }
}

TEST(DeepNesting, ExtractReadsJsonLdNestedDeep) {
    std::string arrays = std::string(50'000, '[') + std::string(50'000, ']');
    std::string author = std::string(50'000, '[') + "\"Leyla Aliyeva\"" + std::string(50'000, ']');
    for (const std::string& json :
         {arrays, "{\"@type\": \"NewsArticle\", \"author\": " + author + "}"}) {
        std::string html = "<html><head><script type=\"application/ld+json\">" + json +
                           "</script></head><body>" + k_story + "</body></html>";
        on_stack_of(256 * 1024, [&] {
            auto extracted = extract_article(html, {});
            ASSERT_TRUE(extracted) << extracted.error().message;
            EXPECT_EQ(extracted->title, "Parliament passes the budget");
        });
    }
    auto extracted =
        extract_article("<html><head><script type=\"application/ld+json\">"
                        "{\"@type\": \"NewsArticle\", \"author\": " +
                            author + "}</script></head><body>" + k_story + "</body></html>",
                        {});
    ASSERT_TRUE(extracted);
    EXPECT_EQ(extracted->author, "Leyla Aliyeva");
}

TEST(DeepNesting, TextAndSanitizerTakeDeepMarkup) {
    for (const auto& shape : deep_shapes()) {
        SCOPED_TRACE(shape.name);
        on_stack_of(256 * 1024, [&] {
            std::size_t words = shape.visible ? shape.depth : 0;
            // Plain text keeps what SVG and MathML say; sanitized HTML drops foreign content.
            bool foreign = std::string_view(shape.name) == "svg";
            EXPECT_EQ(words_in(html_to_text(shape.body)), foreign ? shape.depth : words);
            EXPECT_EQ(words_in(sanitize_html(shape.body, "https://example.test/")), words);
        });
    }
}

namespace {

std::string atom_with_xhtml(std::size_t depth) {
    return "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title>"
           "<entry><title>Budget</title><id>urn:deep:1</id><link href=\"https://example.test/1\"/>"
           "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">" +
           nested({"div", "span", "b"}, depth, true) + "</div></content></entry></feed>";
}

std::string rss_with_html(std::size_t depth) {
    return "<?xml version=\"1.0\"?><rss version=\"2.0\" "
           "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Deep</title>"
           "<item><title>Budget</title><link>https://example.test/1</"
           "link><content:encoded><![CDATA[" +
           nested({"div", "span", "b", "table", "tr", "td"}, depth, false) +
           "]]></content:encoded></item></channel></rss>";
}

} // namespace

TEST(DeepNesting, FeedRefusesXhtmlNestedTooDeep) {
    auto parsed = parse_feed(atom_with_xhtml(20'000));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind, ParseErrorKind::too_deep);
}

TEST(DeepNesting, FeedWritesDeepXhtmlWithoutRecursion) {
    // The limit raised, the xhtml serializer meets 20,000 levels on a 1 MB stack.
    on_stack_of(1024 * 1024, [] {
        ParseOptions options;
        options.max_depth = 1'000'000;
        auto parsed = parse_feed(atom_with_xhtml(20'000), options);
        ASSERT_TRUE(parsed) << parsed.error().message;
        ASSERT_EQ(parsed->items.size(), 1U);
        ASSERT_TRUE(parsed->items[0].content_html);
        EXPECT_EQ(words_in(*parsed->items[0].content_html), std::size_t{20'000});
    });
}

TEST(DeepNesting, FeedTakesDeepHtmlInItems) {
    for (std::size_t depth : {std::size_t{20'000}, std::size_t{100'000}}) {
        on_stack_of(256 * 1024, [&] {
            auto parsed = parse_feed(rss_with_html(depth));
            ASSERT_TRUE(parsed) << parsed.error().message;
            ASSERT_EQ(parsed->items.size(), 1U);
            EXPECT_EQ(parsed->items[0].title, "Budget");
            EXPECT_NE(parsed->items[0].summary.find("www"), std::string::npos);
        });
    }
}

// The dashboard's rendering: snippets mark what matched, charts have a bar per bucket, and
// nothing stored (titles, names, article HTML) reaches a page as markup of its own.
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/article_pages.hpp"
#include "web/dashboard_page.hpp"
#include "web/highlight.hpp"
#include "web/html_page.hpp"
#include "web/shared_page.hpp"
#include "web/svg_chart.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

TEST(HighlightTest, MarksWordsAsTheTaggerFoldsThem) {
    auto html = highlighted_snippet("Nato and the Azerbaijani army; NATO'nun zirvesi.",
                                    {"NATO", "Azerbaijan*"}, 40);
    EXPECT_EQ(html, "<mark>Nato</mark> and the <mark>Azerbaijani</mark> army; "
                    "<mark>NATO</mark>'nun zirvesi.");
}

TEST(HighlightTest, MarksCyrillicAndTurkishCaseAndKeepsOtherWordsPlain) {
    auto html = highlighted_snippet("Делегация НАТО прибыла в Баку. İSTANBUL'da toplantı",
                                    {"нато", "istanbul"}, 40);
    EXPECT_NE(html.find("<mark>НАТО</mark>"), std::string::npos) << html;
    EXPECT_NE(html.find("<mark>İSTANBUL</mark>"), std::string::npos) << html;
    EXPECT_EQ(count_of(html, "<mark>"), 2u) << html;
}

TEST(HighlightTest, EscapesTheTextAroundTheMarks) {
    auto html = highlighted_snippet("<b>NATO</b> & \"friends\"", {"NATO"}, 40);
    EXPECT_EQ(html, "&lt;b&gt;<mark>NATO</mark>&lt;/b&gt; &amp; &quot;friends&quot;");
}

TEST(HighlightTest, AWindowAroundTheFirstMatchWithEllipses) {
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += "word" + std::to_string(i) + " ";
    text += "NATO summit ";
    for (int i = 0; i < 100; ++i)
        text += "tail" + std::to_string(i) + " ";
    auto html = highlighted_snippet(text, {"NATO"}, 20);
    EXPECT_TRUE(html.starts_with("… word92")) << html;
    EXPECT_NE(html.find("<mark>NATO</mark>"), std::string::npos);
    EXPECT_TRUE(html.ends_with(" …")) << html;
    EXPECT_EQ(count_of(html, " "), 20u + 1u) << html; // 20 words, the two ellipses' spaces
}

TEST(SvgChartTest, OneBarAndOneLinePointPerBucket) {
    std::vector<ChartPoint> points;
    for (int i = 0; i < 30; ++i)
        points.push_back({"2026-11-" + std::to_string(i + 1), i, i / 2});
    auto svg = svg_volume_chart(points, "nato");
    EXPECT_EQ(count_of(svg, "<rect "), 30u);
    EXPECT_NE(svg.find(R"(data-points="30")"), std::string::npos);
    auto points_at = svg.find(R"(points=")", svg.find("<polyline"));
    ASSERT_NE(points_at, std::string::npos);
    auto line = svg.substr(points_at + 8, svg.find('"', points_at + 8) - points_at - 8);
    EXPECT_EQ(count_of(line, " ") + 1, 30u);
    EXPECT_NE(svg.find("435 articles, 210 stories in 30 buckets"), std::string::npos) << svg;
}

TEST(SvgChartTest, ACaptionCannotCloseTheSvg) {
    auto svg = svg_volume_chart({{"</svg><script>x</script>", 1, 1}}, "<img src=x onerror=y>");
    EXPECT_EQ(svg.find("<script>"), std::string::npos);
    EXPECT_EQ(svg.find("<img"), std::string::npos);
}

TEST(ArticlePageTest, StoredHtmlIsSanitizedAgainAndTitlesEscaped) {
    nlohmann::json article = {
        {"id", 7},
        {"title", "<script>alert(1)</script> NATO"},
        {"url", "javascript:alert(1)"},
        {"feed", "<b>feed</b>"},
        {"language", "en"},
        {"published_at", "2026-12-01T10:00:00Z"},
        {"author", ""},
        {"summary", ""},
        {"text", ""},
        {"story_id", 3},
        {"duplicate_of", nullptr},
        {"content_html",
         R"html(<p onclick="x()">Kept text</p><script>steal()</script><iframe src="https://x"></iframe><a href="javascript:alert(1)">link</a>)html"},
        {"topics", nlohmann::json::array()},
        {"alert_rules", {"<desk>"}}};
    auto html = render_article(article);
    EXPECT_NE(html.find("Kept text"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
    EXPECT_EQ(html.find("<iframe"), std::string::npos) << html;
    EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
    EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; NATO"), std::string::npos);
    EXPECT_NE(html.find("Matched: &lt;desk&gt;"), std::string::npos);
}

TEST(ArticlePageTest, PlainTextBecomesParagraphsWhenThereIsNoHtml) {
    nlohmann::json article = {{"id", 1},
                              {"title", "t"},
                              {"url", ""},
                              {"feed", "f"},
                              {"language", ""},
                              {"published_at", ""},
                              {"author", ""},
                              {"summary", ""},
                              {"story_id", 1},
                              {"duplicate_of", 2},
                              {"content_html", ""},
                              {"topics", nlohmann::json::array()},
                              {"alert_rules", nlohmann::json::array()},
                              {"text", "First <line>\n\nSecond line"}};
    auto html = render_article(article);
    EXPECT_NE(html.find("<p>First &lt;line&gt;</p>\n<p>Second line</p>"), std::string::npos)
        << html;
    EXPECT_NE(html.find(R"(republishes <a href="/articles/2">)"), std::string::npos);
}

TEST(DashboardPageTest, EverySectionAndNoStoredMarkup) {
    DashboardData data;
    data.volumes.push_back({"na\"to", {{"2026-12-01T00:00:00Z", 2, 1}}, {}});
    data.top_stories = {{{"id", 5},
                         {"title", "<i>Story</i>"},
                         {"feed_count", 4},
                         {"article_count", 6},
                         {"languages", {"en", "ru"}},
                         {"first_seen_at", "2026-12-01T10:00:00Z"},
                         {"topics", {"nato"}}}};
    data.latest = nlohmann::json::array();
    data.spikes = nlohmann::json::array();
    data.feeds = {{{"name", "wire"},
                   {"last_polled_at", nullptr},
                   {"last_error", "<x>"},
                   {"health", {{"failing", true}, {"silent", false}, {"overdue", true}}}}};
    data.alerts = nlohmann::json::array();
    auto html = render_dashboard(data);
    for (const char* section : {"volume", "top-stories", "latest", "spikes", "feeds", "alerts"})
        EXPECT_NE(html.find(std::string("id=\"") + section + "\""), std::string::npos) << section;
    EXPECT_NE(html.find(R"(data-topic="na&quot;to")"), std::string::npos);
    EXPECT_NE(html.find("&lt;i&gt;Story&lt;/i&gt;"), std::string::npos);
    EXPECT_NE(html.find("4 feeds, 6 articles"), std::string::npos);
    EXPECT_NE(html.find("0 of 1 feeds healthy"), std::string::npos);
    EXPECT_NE(html.find("failing, overdue"), std::string::npos);
    EXPECT_EQ(html.find("<x>"), std::string::npos);
}

TEST(HtmlPageTest, UrlComponentsAndTimes) {
    EXPECT_EQ(
        percent_encoded("NATO AND Азербайджан&x=1"),
        "NATO%20AND%20%D0%90%D0%B7%D0%B5%D1%80%D0%B1%D0%B0%D0%B9%D0%B4%D0%B6%D0%B0%D0%BD%26x%3D1");
    EXPECT_EQ(time_element("2026-12-02T09:30:00Z"),
              R"(<time datetime="2026-12-02T09:30:00Z">2026-12-02 09:30 UTC</time>)");
    auto page = html_document("A \"title\"", "<p>x</p>", "q<\"");
    EXPECT_NE(page.find("<title>A &quot;title&quot; · newsmon</title>"), std::string::npos);
    EXPECT_NE(page.find(R"(value="q&lt;&quot;")"), std::string::npos);
}

TEST(SharedPageTest, OneRenderingServesEveryClientWithinItsLifetime) {
    SharedPage page(std::chrono::minutes{1});
    std::atomic<int> renders{0};
    auto render = [&] {
        ++renders;
        std::this_thread::sleep_for(std::chrono::milliseconds{50}); // the others arrive meanwhile
        return std::string("<p>dashboard</p>");
    };
    std::vector<std::thread> clients;
    std::atomic<int> served{0};
    for (int c = 0; c < 8; ++c)
        clients.emplace_back([&] {
            if (page.get(render) == "<p>dashboard</p>")
                ++served;
        });
    for (auto& client : clients)
        client.join();
    EXPECT_EQ(served, 8);
    EXPECT_EQ(renders, 1);
}

TEST(SharedPageTest, AStaleCopyIsRenderedAgain) {
    SharedPage page(std::chrono::milliseconds{20});
    int renders = 0;
    auto render = [&] { return "rendering " + std::to_string(++renders); };
    EXPECT_EQ(page.get(render), "rendering 1");
    EXPECT_EQ(page.get(render), "rendering 1");
    std::this_thread::sleep_for(std::chrono::milliseconds{30});
    EXPECT_EQ(page.get(render), "rendering 2");
}

TEST(SharedPageTest, ZeroLifetimeRendersForEachRequest) {
    SharedPage page(std::chrono::seconds{0});
    int renders = 0;
    auto render = [&] { return std::to_string(++renders); };
    EXPECT_EQ(page.get(render), "1");
    EXPECT_EQ(page.get(render), "2");
}

TEST(SharedPageTest, AFailedRenderingIsNotKept) {
    SharedPage page(std::chrono::minutes{1});
    EXPECT_THROW(page.get([]() -> std::string { throw std::runtime_error("database away"); }),
                 std::runtime_error);
    EXPECT_EQ(page.get([] { return std::string("back"); }), "back");
}

} // namespace
} // namespace newsmon::web

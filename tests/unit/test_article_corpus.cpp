// Every page under tests/fixtures/articles (NAME.html) is extracted and compared with
// NAME.expected.txt, the story as a reader sees it: at least 95% of its words must come out,
// and words that are not in it (menus, sidebars, share buttons, comments) may make up at most
// 5% of the output. An empty NAME.expected.txt is a page with no story (a section front): it
// must give no body. NAME.meta.json lists the metadata the page must yield.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/words.hpp"

namespace fs = std::filesystem;
using namespace newsmon::parsers;

namespace {

const fs::path k_pages = fs::path(NEWSMON_FIXTURES_DIR) / "articles";
const char* const k_page_url = "https://fixtures.example.test/news/page.html";

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::map<std::string, int> word_counts(std::string_view text) {
    WordList words;
    split_words(text, words);
    std::map<std::string, int> counts;
    for (const auto& word : words.words)
        ++counts[std::string(words.base_of(word))];
    return counts;
}

struct Overlap {
    double recovered;   // share of the expected words found in the output
    double boilerplate; // share of the output's words not in the expected text
};

Overlap overlap(std::string_view expected, std::string_view output) {
    auto want = word_counts(expected);
    auto got = word_counts(output);
    int expected_total = 0, output_total = 0, common = 0;
    for (const auto& [word, count] : want) {
        expected_total += count;
        auto found = got.find(word);
        common += found == got.end() ? 0 : std::min(count, found->second);
    }
    for (const auto& [word, count] : got)
        output_total += count;
    return {expected_total ? static_cast<double>(common) / expected_total : 1.0,
            output_total ? 1.0 - static_cast<double>(common) / output_total : 0.0};
}

std::vector<std::string> page_names() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(k_pages))
        if (entry.path().extension() == ".html")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class ArticleCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(ArticleCorpus, RecoversTheStoryWithoutBoilerplate) {
    const fs::path page = k_pages / (GetParam() + ".html");
    auto article = extract_article(read_bytes(page), {k_page_url, ""});
    ASSERT_TRUE(article) << article.error().message;
    std::string expected = read_bytes(k_pages / (GetParam() + ".expected.txt"));
    Overlap measured = overlap(expected, article->content_text);
    EXPECT_GE(measured.recovered, 0.95) << article->content_text;
    EXPECT_LE(measured.boilerplate, 0.05) << article->content_text;
    // Paragraph breaks survive.
    auto paragraphs = [](const std::string& text) {
        std::size_t count = 1;
        for (std::size_t at = text.find("\n\n"); at != std::string::npos;
             at = text.find("\n\n", at + 2))
            ++count;
        return count;
    };
    EXPECT_EQ(paragraphs(article->content_text),
              paragraphs(expected.substr(0, expected.size() - 1)));
    EXPECT_EQ(article->content_html.find("<script"), std::string::npos);
    // A page without a story (a section front, a tag page) says so, as `newsmon extract` does.
    if (expected.empty()) {
        EXPECT_EQ(article->content_text, "");
        EXPECT_NE(
            std::find(article->warnings.begin(), article->warnings.end(), "no article body found"),
            article->warnings.end());
    }
}

TEST_P(ArticleCorpus, FindsTheMetadataThePageGives) {
    const fs::path page = k_pages / (GetParam() + ".html");
    auto article = extract_article(read_bytes(page), {k_page_url, ""});
    ASSERT_TRUE(article) << article.error().message;
    auto meta = nlohmann::json::parse(read_bytes(k_pages / (GetParam() + ".meta.json")));
    EXPECT_EQ(article->title, meta.at("title").get<std::string>());
    auto expect_field = [&](const char* key, const std::string& actual) {
        if (meta.contains(key)) {
            EXPECT_EQ(actual, meta[key].get<std::string>()) << key;
        }
    };
    expect_field("author", article->author);
    expect_field("language", article->language);
    expect_field("canonical_url", article->canonical_url);
    expect_field("lead_image", article->lead_image);
    if (meta.contains("published")) {
        ASSERT_TRUE(article->published) << "no date found";
        EXPECT_EQ(format_rfc3339(*article->published), meta["published"].get<std::string>());
    }
}

INSTANTIATE_TEST_SUITE_P(Pages, ArticleCorpus, ::testing::ValuesIn(page_names()),
                         [](const auto& page) { return page.param; });

TEST(ArticleCorpusSize, HoldsAtLeastTwelvePagesInDifferentLayouts) {
    EXPECT_GE(page_names().size(), 12U);
}

TEST(ArticleCharset, TheHttpHeaderWinsOverDetection) {
    std::string bytes = read_bytes(k_pages / "russian_undeclared_charset.html");
    auto declared = extract_article(bytes, {k_page_url, "text/html; charset=windows-1251"});
    ASSERT_TRUE(declared);
    EXPECT_EQ(declared->encoding, "windows-1251");
    EXPECT_NE(declared->content_text.find("Каспийский трубопроводный консорциум"),
              std::string::npos);
    auto wrong = extract_article(bytes, {k_page_url, "text/html; charset=iso-8859-1"});
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->content_text.find("Каспийский"), std::string::npos);
}

TEST(ArticleCharset, MetaCharsetIsReadFromTheFirstBytes) {
    EXPECT_EQ(html_declared_charset("<html><head><meta charset=\"windows-1251\">"), "windows-1251");
    EXPECT_EQ(html_declared_charset("<META HTTP-EQUIV=\"Content-Type\" "
                                    "CONTENT=\"text/html; charset=KOI8-R\">"),
              "koi8-r");
    EXPECT_FALSE(html_declared_charset("<html><body>no declaration</body></html>"));
}

TEST(ArticleExtraction, PagesWithoutAStoryAreNotErrors) {
    auto bare = extract_article("<html><head><title>Contacts</title></head><body><a href=/>Home"
                                "</a></body></html>",
                                {k_page_url, ""});
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->title, "Contacts");
    EXPECT_TRUE(bare->content_text.empty());
    ASSERT_EQ(bare->warnings.size(), 1U);
    EXPECT_EQ(bare->warnings[0], "no article body found");
    auto empty = extract_article("", {k_page_url, ""});
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message, "no text in the page");
}

TEST(ArticleExtraction, APageOfNavigationHasNoBody) {
    auto sitemap = extract_article(
        read_bytes(fs::path(NEWSMON_FIXTURES_DIR) / "article_edges" / "navigation_only.html"),
        {k_page_url, ""});
    ASSERT_TRUE(sitemap) << sitemap.error().message;
    EXPECT_EQ(sitemap->title, "Sitemap");
    EXPECT_EQ(sitemap->content_text, "");
    ASSERT_EQ(sitemap->warnings.size(), 1U);
    EXPECT_EQ(sitemap->warnings[0], "no article body found");
}

TEST(ArticleExtraction, APlainTextResponseIsText) {
    auto text = extract_article("Statement\r\n\r\nDeliveries resume\non Monday.\n\n\nNo action "
                                "is needed.\n",
                                {k_page_url, "Text/Plain; charset=utf-8"});
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->content_text,
              "Statement\n\nDeliveries resume on Monday.\n\nNo action is needed.");
    EXPECT_EQ(text->content_html,
              "<p>Statement</p><p>Deliveries resume on Monday.</p><p>No action is needed.</p>");
    EXPECT_FALSE(extract_article("\n \n", {k_page_url, "text/plain"}));
}

TEST(ArticleExtraction, ABylineNeedsANameAndASurname) {
    const std::string story =
        "<p>Delegations met on Monday in the capital to discuss the new agreement on transit, "
        "energy and trade, officials said after the talks.</p><p>They will meet again in "
        "spring, after experts finish their review of the draft, the ministry added.</p>";
    auto signed_story =
        extract_article("<html><body><h1>Talks in Baku</h1><div class=story><p>By Jane Doe</p>" +
                            story + "</div></body></html>",
                        {k_page_url, ""});
    ASSERT_TRUE(signed_story);
    EXPECT_EQ(signed_story->author, "Jane Doe");
    EXPECT_EQ(signed_story->content_text.find("By Jane Doe"), std::string::npos);
    auto dated = extract_article("<html><body><h1>Talks in Baku</h1><div class=story><p>By "
                                 "Monday</p>" +
                                     story + "</div></body></html>",
                                 {k_page_url, ""});
    ASSERT_TRUE(dated);
    EXPECT_EQ(dated->author, "");
    EXPECT_EQ(dated->content_text.find("By Monday"), 0U);
}

TEST(ArticleExtraction, BrokenMarkupStillGivesTheText) {
    auto article = extract_article(
        "<html><body><div class=story><h1>Talks in Baku</h1><p>Delegations met on Monday in the "
        "capital to discuss the new agreement on transit, energy and trade.<p>They will meet "
        "again in spring, officials said, after experts finish their review</div></span></td>",
        {k_page_url, ""});
    ASSERT_TRUE(article);
    EXPECT_EQ(article->title, "Talks in Baku");
    EXPECT_NE(article->content_text.find("They will meet again in spring"), std::string::npos);
    EXPECT_NE(article->content_text.find("\n\n"), std::string::npos);
}

} // namespace

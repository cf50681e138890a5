// The snippet an alert carries and the messages built around it: webhook JSON, plain text and
// the multipart e-mail.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerts/message.hpp"
#include "alerts/snippet.hpp"
#include "http_test_server.hpp"
#include "newsmon/parsers/words.hpp"
#include "smtp_sink.hpp"

using namespace newsmon;
using alerts::Snippet;
using testkit::mime_part;

namespace {

Snippet snippet_of(std::string_view title, std::string_view body, std::string_view query,
                   const std::vector<std::string>& matched, std::string_view language = "en") {
    return alerts::make_snippet({title, body, language, query, matched});
}

// "…before [match] after…": the marked parts in brackets.
std::string bracketed(const Snippet& snippet) {
    std::string text;
    for (const auto& part : snippet)
        text += part.match ? "[" + part.text + "]" : part.text;
    return text;
}

// Whether `text` is well-formed UTF-8 (shortest forms, no surrogates).
bool valid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        auto byte = static_cast<unsigned char>(text[at]);
        std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 6 ? 2 : (byte >> 4) == 14 ? 3 : 4;
        if ((byte >= 0x80 && byte < 0xC2) || byte > 0xF4 || at + length > text.size())
            return false;
        for (std::size_t i = 1; i < length; ++i)
            if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80)
                return false;
        at += length;
    }
    return true;
}

// The words of a text in base form, for checking that a snippet cuts none in two.
std::vector<std::string> base_words(std::string_view text) {
    parsers::WordList words;
    parsers::split_words(text, words);
    std::vector<std::string> out;
    for (const auto& word : words.words)
        out.emplace_back(words.base_of(word));
    return out;
}

// Every word of the snippet is a whole word of the source, in a row.
void expect_whole_words(const std::string& snippet, const std::string& source) {
    auto inner = base_words(snippet);
    auto all = base_words(source);
    ASSERT_FALSE(inner.empty());
    auto found = std::search(all.begin(), all.end(), inner.begin(), inner.end());
    EXPECT_NE(found, all.end()) << snippet;
}

} // namespace

TEST(Snippet, MarksTheFirstMatchAndTheOthersBesideIt) {
    auto snippet = snippet_of("Envoys meet", "The NATO envoys met the president in Baku today.",
                              "NATO AND Baku", {"NATO", "Baku"});
    EXPECT_EQ(bracketed(snippet), "The [NATO] envoys met the president in [Baku] today.");
}

TEST(Snippet, TakesTheTitleWhenTheTextLacksTheMatch) {
    auto snippet =
        snippet_of("NATO envoys in Baku", "The delegation arrived on Tuesday.", "NATO", {"NATO"});
    EXPECT_EQ(bracketed(snippet), "[NATO] envoys in Baku");
}

TEST(Snippet, ATitleTermMarksOnlyTheTitle) {
    auto snippet = snippet_of("NATO summit", "Leaders of NATO met.", "title:NATO", {"title:NATO"});
    EXPECT_EQ(bracketed(snippet), "[NATO] summit");
}

TEST(Snippet, NegatedWordsAreNotMarked) {
    auto snippet =
        snippet_of("", "NATO and Ukraine talks; NATO again.", "NATO NOT Russia", {"NATO"});
    EXPECT_EQ(bracketed(snippet), "[NATO] and Ukraine talks; [NATO] again.");
}

TEST(Snippet, AMatchWithoutWordsShowsTheOpening) {
    auto snippet =
        snippet_of("Title", "First words of the article. More text.", "topic:nato", {"topic:nato"});
    EXPECT_EQ(bracketed(snippet), "First words of the article. More text.");
}

TEST(Snippet, APhraseAcrossALineBreakIsOneMarkOnOneLine) {
    auto snippet = snippet_of("", "Talks on the Partnership\nfor   Peace programme.",
                              "\"Partnership for Peace\"", {"\"Partnership for Peace\""});
    EXPECT_EQ(bracketed(snippet), "Talks on the [Partnership for Peace] programme.");
}

TEST(Snippet, ALongTextIsCutAtWordsAroundTheMatch) {
    std::string body;
    for (int i = 0; i < 60; ++i)
        body += "filler" + std::to_string(i) + " ";
    body += "NATO";
    for (int i = 60; i < 120; ++i)
        body += " filler" + std::to_string(i);
    auto snippet = snippet_of("", body, "NATO", {"NATO"});
    std::string text = alerts::snippet_text(snippet);
    EXPECT_LE(alerts::count_chars(text), alerts::k_snippet_chars);
    EXPECT_GE(alerts::count_chars(text), alerts::k_snippet_chars - 12);
    EXPECT_TRUE(text.starts_with("…filler")) << text;
    EXPECT_TRUE(text.ends_with("…")) << text;
    expect_whole_words(text, body);
    // Most of it follows the match.
    auto at = text.find("NATO");
    EXPECT_LT(alerts::count_chars(text.substr(0, at)), 90U) << text;
}

TEST(Snippet, CyrillicTextIsCutBetweenCharactersAndWords) {
    std::string body = testkit::read_fixture("alerts/cyrillic_match_deep_in_a_long_text.txt");
    auto snippet =
        snippet_of("Байрамов провёл переговоры с ЕС", body, "НАТО OR NATO", {"НАТО"}, "ru");
    std::string text = alerts::snippet_text(snippet);
    EXPECT_TRUE(valid_utf8(text)) << text;
    EXPECT_LE(alerts::count_chars(text), alerts::k_snippet_chars);
    EXPECT_GT(alerts::count_chars(text), 180U); // far longer in bytes: two per letter
    EXPECT_GT(text.size(), alerts::k_snippet_chars);
    EXPECT_TRUE(text.starts_with("…")) << text;
    EXPECT_TRUE(text.ends_with("…")) << text;
    EXPECT_EQ(text.find('\n'), std::string::npos);
    expect_whole_words(text, body);
    ASSERT_EQ(std::count_if(snippet.begin(), snippet.end(), [](auto& part) { return part.match; }),
              1);
    EXPECT_NE(bracketed(snippet).find("сотрудничества с [НАТО] в рамках"), std::string::npos)
        << bracketed(snippet);
}

TEST(Snippet, AzerbaijaniTextWithAPrefixTerm) {
    std::string body = testkit::read_fixture("alerts/azerbaijani_match_deep_in_a_long_text.txt");
    auto snippet = snippet_of("Bayramov Brüsseldə görüşüb", body, "Azərbaycan* AND Bakı*",
                              {"Azərbaycan*", "Bakı*"}, "az");
    std::string text = alerts::snippet_text(snippet);
    EXPECT_TRUE(valid_utf8(text)) << text;
    EXPECT_LE(alerts::count_chars(text), alerts::k_snippet_chars);
    expect_whole_words(text, body);
    EXPECT_NE(bracketed(snippet).find("ki, [Azərbaycanın] Avropaya"), std::string::npos)
        << bracketed(snippet);
}

// A single "word" longer than a snippet (a run of letters with no break) is cut between
// characters, never inside one.
TEST(Snippet, AWordLongerThanTheSnippetIsCutBetweenCharacters) {
    std::string body = "a"; // the two-byte letters then begin at odd offsets
    for (int i = 0; i < 400; ++i)
        body += "ə";
    auto snippet = snippet_of("", body, "topic:x", {"topic:x"}, "az");
    std::string text = alerts::snippet_text(snippet);
    EXPECT_TRUE(valid_utf8(text));
    EXPECT_LE(alerts::count_chars(text), alerts::k_snippet_chars);
    EXPECT_GE(alerts::count_chars(text), alerts::k_snippet_chars - 2);
    EXPECT_TRUE(text.ends_with("…"));
}

namespace {

alerts::AlertMessage message_with(Snippet snippet, std::string title = "NATO in Baku") {
    alerts::AlertArticle article;
    article.id = 7;
    article.title = std::move(title);
    article.url = "https://news.example.test/7";
    article.feed = "Wire";
    article.published_at = "2026-11-07T06:10:00Z";
    article.language = "ru";
    article.matched_terms = {"НАТО"};
    article.snippet = std::move(snippet);
    return {"42", "desk", false, {article}, false};
}

} // namespace

TEST(AlertMessage, JsonCarriesTheSnippetWithItsMatchesInCharacters) {
    auto message =
        message_with({{"…сотрудничества с ", false}, {"НАТО", true}, {" в рамках…", false}});
    auto json = nlohmann::json::parse(alerts::webhook_json(message));
    EXPECT_EQ(json["snippet"], "…сотрудничества с НАТО в рамках…");
    EXPECT_EQ(json["snippet_matches"],
              nlohmann::json::parse(R"([{"start": 18, "end": 22, "text": "НАТО"}])"));
    EXPECT_EQ(json["language"], "ru");
    EXPECT_EQ(json["published_at"], "2026-11-07T06:10:00Z");
    EXPECT_NE(json["text"].get<std::string>().find("…сотрудничества с *НАТО* в рамках…\n"),
              std::string::npos);
    // The existing keys stay.
    for (const char* key : {"delivery_id", "rule", "kind", "article_id", "title", "url", "feed",
                            "topics", "matched_terms", "story_id", "feed_count", "first_seen_at"})
        EXPECT_TRUE(json.contains(key)) << key;
}

TEST(AlertMessage, MailIsMultipartAlternativeWithEverythingFromTheArticleEscaped) {
    auto message = message_with({{"a <script>x</script> & ", false}, {"NATO\"<b>", true}},
                                "<img src=x onerror=alert(1)> NATO");
    message.articles[0].url = "javascript:alert(1)";
    message.articles[0].feed = "Wire <i>";
    std::string mail = alerts::mail_message(message, "newsmon@example.test", "desk@example.test");
    EXPECT_NE(mail.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
    std::string plain = mime_part(mail, "text/plain; charset=utf-8");
    std::string html = mime_part(mail, "text/html; charset=utf-8");
    EXPECT_NE(plain.find("a <script>x</script> & *NATO\"<b>*"), std::string::npos) << plain;
    EXPECT_NE(html.find("a &lt;script&gt;x&lt;/script&gt; &amp; <mark>NATO&quot;&lt;b&gt;</mark>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt; NATO"), std::string::npos) << html;
    EXPECT_NE(html.find("Wire &lt;i&gt;"), std::string::npos) << html;
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("javascript:"), std::string::npos); // no link but a web link
    EXPECT_NE(html.find("<p lang=\"ru\">"), std::string::npos) << html;
}

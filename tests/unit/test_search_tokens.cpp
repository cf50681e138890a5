// The tokens of PostgreSQL's default parser as parsers::search_tokens cuts them. The
// integration test test_search_vectors holds every case against PostgreSQL itself; these name
// the rules one by one.
#include <gtest/gtest.h>

#include "newsmon/parsers/search_tokens.hpp"

using namespace newsmon::parsers;

namespace {

// "alias:token" for each token, or "declined".
std::vector<std::string> cut(std::string_view text) {
    std::vector<SearchToken> tokens;
    if (!search_tokens(text, tokens))
        return {"declined"};
    std::vector<std::string> out;
    for (const auto& token : tokens)
        out.push_back(std::string(search_token_alias(token.type)) + ":" + std::string(token.text));
    return out;
}

using Cut = std::vector<std::string>;

} // namespace

TEST(SearchTokens, WordsOfThreeAlphabetsAndNumbers) {
    EXPECT_EQ(
        cut("NATO, Azərbaycan и Баку: 30 G7"),
        (Cut{"asciiword:NATO", "word:Azərbaycan", "word:и", "word:Баку", "uint:30", "numword:G7"}));
}

TEST(SearchTokens, AHyphenatedWordComesWholeThenByParts) {
    // PostgreSQL's documentation gives this example for ts_debug
    EXPECT_EQ(cut("foo-bar-beta1"), (Cut{"numhword:foo-bar-beta1", "hword_asciipart:foo",
                                         "hword_asciipart:bar", "hword_numpart:beta1"}));
    EXPECT_EQ(cut("Северо-Атлантический"),
              (Cut{"hword:Северо-Атлантический", "hword_part:Северо", "hword_part:Атлантический"}));
}

TEST(SearchTokens, DigitsAfterAHyphenAreASignedNumberUnlessAHyphenatedWordEndsThere) {
    EXPECT_EQ(cut("COVID-19"), (Cut{"asciiword:COVID", "int:-19"}));
    EXPECT_EQ(cut("abc-def-123"), (Cut{"asciihword:abc-def", "hword_asciipart:abc",
                                       "hword_asciipart:def", "uint:123"}));
    EXPECT_EQ(cut("2024-cü il, -5 +3"),
              (Cut{"uint:2024", "word:cü", "asciiword:il", "int:-5", "int:+3"}));
}

TEST(SearchTokens, WhatTheParserReadsAsMoreThanWordsIsDeclined) {
    for (const char* text : {"today.az", "see Today.Az.", "x1.5", "-1.5.3", "1.5e3", "a@b.c",
                             "http://x", "<b>bold</b>", "AT&amp;T", "and/or", "so..", "5e3",
                             "е\u0301", "中文", "zero\u200bwidth", "\x01"})
        EXPECT_EQ(cut(text), Cut{"declined"}) << text;
}

TEST(SearchTokens, DecimalsAndDottedDatesAreNumbers) {
    EXPECT_EQ(
        cut("1.5 milyon, -0.25 və 05.12.2026-cı il; 10.482,36 ₼ 2.5km"),
        (Cut{"float:1.5", "asciiword:milyon", "float:-0.25", "word:və", "version:05.12.2026",
             "word:cı", "asciiword:il", "float:10.482", "uint:36", "float:2.5", "asciiword:km"}));
}

TEST(SearchTokens, PlainPunctuationSeparates) {
    EXPECT_EQ(cut("«Ankara» — it’s… (ok)! 50% a. b... c"),
              (Cut{"asciiword:Ankara", "asciiword:it", "asciiword:s", "asciiword:ok", "uint:50",
                   "asciiword:a", "asciiword:b", "asciiword:c"}));
}

TEST(SearchTokens, ATextPastWhatPostgresPositionsIsDeclinedBeforeItIsRead) {
    std::string words;
    while (words.size() <= 256 * 1024)
        words += "NATO Baku ";
    EXPECT_EQ(cut(words), Cut{"declined"});
    EXPECT_NE(cut(words.substr(0, 200 * 1024)), Cut{"declined"});
}

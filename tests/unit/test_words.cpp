#include <gtest/gtest.h>

#include "newsmon/parsers/words.hpp"

using namespace newsmon::parsers;

namespace {

std::vector<std::string> bases(std::string_view text) {
    WordList list;
    split_words(text, list);
    std::vector<std::string> out;
    for (const auto& word : list.words)
        out.emplace_back(list.base_of(word));
    return out;
}

std::vector<std::string> sources(std::string_view text) {
    WordList list;
    split_words(text, list);
    std::vector<std::string> out;
    for (const auto& word : list.words)
        out.emplace_back(text.substr(word.source_begin, word.source_end - word.source_begin));
    return out;
}

} // namespace

TEST(Words, ApostrophesAndHyphensSeparate) {
    EXPECT_EQ(sources("NATO'nun, NATO’ya və NATO-nun"),
              (std::vector<std::string>{"NATO", "nun", "NATO", "ya", "və", "NATO", "nun"}));
}

TEST(Words, BaseFormsFoldCaseAndDropDiacritics) {
    EXPECT_EQ(bases("Azərbaycan AZƏRBAYCAN Azerbaycan"),
              (std::vector<std::string>{"azerbaycan", "azerbaycan", "azerbaycan"}));
    EXPECT_EQ(bases("Şimali Atlantika Müqaviləsi"),
              (std::vector<std::string>{"simali", "atlantika", "muqavilesi"}));
    EXPECT_EQ(bases("Ёлка ЁЛКА елка"), (std::vector<std::string>{"елка", "елка", "елка"}));
    EXPECT_EQ(bases("Straße"), std::vector<std::string>{"strasse"});
}

TEST(Words, TurkishIsAllOneI) {
    EXPECT_EQ(bases("İLHAM İlham ılham BAKI Bakı baki"),
              (std::vector<std::string>{"ilham", "ilham", "ilham", "baki", "baki", "baki"}));
    EXPECT_EQ(fold_word("İLHAM"), "ilham");
    EXPECT_EQ(fold_word("BAKI"), "baki");
    EXPECT_EQ(fold_word("Bakı"), "baki");
}

TEST(Words, FoldKeepsDiacritics) {
    EXPECT_EQ(fold_word("Azərbaycan"), "azərbaycan");
    EXPECT_EQ(fold_word("АЗЕРБАЙДЖАН"), "азербайджан");
    EXPECT_EQ(base_word("Azərbaycan"), "azerbaycan");
}

TEST(Words, OffsetsPointIntoTheSource) {
    std::string text = "  Bakı—NATO\n";
    WordList list;
    split_words(text, list);
    ASSERT_EQ(list.words.size(), 2u);
    EXPECT_EQ(list.words[0].source_begin, 2u);
    EXPECT_EQ(list.words[0].source_end, 7u); // "Bakı" is 5 bytes
    EXPECT_EQ(text.substr(list.words[1].source_begin, 4), "NATO");
}

TEST(Words, DigitsAndCombiningMarksBelongToWords) {
    EXPECT_EQ(bases("F-16 2025"), (std::vector<std::string>{"f", "16", "2025"}));
    EXPECT_EQ(bases("e\xCC\x81te"), std::vector<std::string>{"ete"}); // e + combining acute
}

TEST(Words, YoIsYeInFoldedFormsToo) {
    EXPECT_EQ(fold_word("Партнёрство"), "партнерство");
    EXPECT_EQ(fold_word("ЁЛКА"), "елка");
}

TEST(Words, CombiningMarksFoldAsTheComposedLetter) {
    EXPECT_EQ(fold_word("Партне\xCC\x88рство"), "партнерство"); // е + U+0308
    EXPECT_EQ(fold_word("S\xCC\xA7\xC9\x99rqi"), "şərqi");      // S + U+0327
    EXPECT_EQ(fold_word("e\xCC\x81te"), "\xC3\xA9te");          // é kept, composed
    EXPECT_EQ(composed("I\xCC\x87"), "\xC4\xB0");               // İ
}

TEST(Words, DotAboveLeftByLowerCasingIsDropped) {
    // "İSTANBUL" lower-cased outside Turkish is i + U+0307 ...
    EXPECT_EQ(fold_word("i\xCC\x87stanbul"), "istanbul");
    EXPECT_EQ(bases("I\xCC\x87LHAM"), std::vector<std::string>{"ilham"});
}

TEST(Words, SoftHyphensAndJoinersDoNotSplitWords) {
    EXPECT_EQ(sources("Северо\u00ADатлантический союз"),
              (std::vector<std::string>{"Северо\u00ADатлантический", "союз"}));
    EXPECT_EQ(bases("Северо\u00ADатлантический"), std::vector<std::string>{"североатлантическии"});
    EXPECT_EQ(bases("\u00AD NATO \u200D"), std::vector<std::string>{"nato"});
}

TEST(Words, AzerbaijaniCyrillicReadsAsLatin) {
    EXPECT_EQ(bases("Азәрбајҹан Республикасы"),
              (std::vector<std::string>{"azerbaycan", "республикасы"}));
    EXPECT_EQ(fold_word("ӘЛИЈЕВ"), "əliyev");
    EXPECT_EQ(fold_word("Гарабағ"), "qarabağ");
    EXPECT_EQ(fold_word("Азербайджан"), "азербайджан"); // Russian stays Cyrillic
}

// Word splitting and folding shared by the tagger and the alert queries, so that a term and
// the text it is looked for in are cut and compared the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsmon::parsers {

// One word: where it stands in the source text, and where its base form is in WordList::base.
struct Word {
    std::uint32_t source_begin = 0;
    std::uint32_t source_end = 0;
    std::uint32_t base_begin = 0;
    std::uint32_t base_end = 0;
};

struct WordList {
    std::string base; // every word's base form, one after another
    std::vector<Word> words;

    [[nodiscard]] std::string_view base_of(const Word& word) const {
        return std::string_view(base).substr(word.base_begin, word.base_end - word.base_begin);
    }
    void clear() {
        base.clear();
        words.clear();
    }
};

// Words are runs of letters, digits and combining marks; anything else separates them, so
// apostrophes and hyphens do too ("NATO'nun", "NATO’ya", "NATO-nun" all hold the word NATO).
// Soft hyphens, zero-width joiners and a dot above left by lower-casing İ are skipped inside a
// word. Each word's base form is case-folded (full Unicode folding; Turkish İ, I, ı and i all
// fold to i; ё is е) with diacritics removed (é -> e, ş -> s, ə -> e). A word with a letter
// only Azerbaijani Cyrillic has (ә, ғ, ҹ, һ, ј, ө, ү) is read in the Latin alphabet
// (Азәрбајҹан -> azerbaycan). Appends to `out`; offsets are bytes.
void split_words(std::string_view text, WordList& out);

// The text in Unicode's composed form (NFC): "е" + U+0308 is "ё", "S" + U+0327 is "Ş".
[[nodiscard]] std::string composed(std::string_view text);

// One word case-folded as above, diacritics kept ("Azərbaycan" -> "azərbaycan", "BAKI" -> "baki");
// a letter written with combining marks folds as the composed letter does.
[[nodiscard]] std::string fold_word(std::string_view word);

// One word in base form ("Azərbaycan" -> "azerbaycan").
[[nodiscard]] std::string base_word(std::string_view word);

// Whether the word has a letter only Azerbaijani Cyrillic has, and the word in Azerbaijani
// Latin letters, lower-case (other characters kept).
[[nodiscard]] bool has_az_cyrillic(std::string_view word);
[[nodiscard]] std::string latin_azerbaijani(std::string_view word);

} // namespace newsmon::parsers

// The stem of a word in a language, so that inflected forms of a term match it: Snowball
// (libstemmer) for English, Russian and Turkish, rules of our own for Azerbaijani.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tag/language.hpp"

namespace newsmon::tag {

// Stems shorter than this are not used: "bak" (from Bakı) is also Turkish bakım (care), and
// "бак" (from Баку) a tank.
inline constexpr std::size_t k_min_stem_letters = 4;

// The stems of one word (as written) in `language`, lower-case with their diacritics: one
// from Snowball, every reading from the Azerbaijani rules; none when the language has no
// stemmer, and none shorter than k_min_stem_letters. Turkish and Azerbaijani are lower-cased
// by their own rules (I -> ı, İ -> i); ё is е. Thread-safe.
[[nodiscard]] std::vector<std::string> stem_word(std::string_view word, Language language);

// What a term word is looked up by: its stem in Snowball's languages; in Azerbaijani the word
// itself, lower-case, since the readings of the text's words already reach it (a term's own
// readings would let Gəncə, the city, match gənc-lər, young people).
[[nodiscard]] std::vector<std::string> term_stems(std::string_view word, Language language);

// The Azerbaijani rules on a lower-case word: the word and every form left by stripping case,
// possessive, plural and a few derivational suffixes from its end (-nın, -ya/-yə, -da/-də,
// -dan/-dən, -lı/-li, -dakı, ...), up to four in a row, each leaving three letters.
[[nodiscard]] std::vector<std::string> azerbaijani_stems(std::string_view lower);

} // namespace newsmon::tag

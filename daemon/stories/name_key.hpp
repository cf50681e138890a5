// The sound of a name, so that its spellings in the four languages meet: Джейхун Байрамов,
// Ceyhun Bayramov and Jeyhun Bayramov all have the keys of "jeyhun bayramov".
#pragma once

#include <string>
#include <string_view>

#include "tag/language.hpp"

namespace newsmon::stories {

// The word in lower-case ASCII as a reader of English would spell it: Cyrillic by the BGN/PCGN
// romanization, Azerbaijani and Turkish letters by their sounds (c -> j, ç -> ch, ş -> sh,
// x -> kh in Azerbaijani). `language` is the language of the text the word stands in.
[[nodiscard]] std::string latin_spelling(std::string_view word, tag::Language language);

// A short key of a latin spelling's consonants: its first sound (any vowel is one class), then
// up to three consonant classes with voiced and voiceless pairs merged and repeats collapsed
// (bayramov -> "brmv" keeps b r m; karabakh and qarabag both give "krb"). Empty for a word
// with fewer than two sounds.
[[nodiscard]] std::string sound_key(std::string_view latin, tag::Language language);

} // namespace newsmon::stories

// The term syntax of [[topic]] terms and exclude phrases:
//   word        whole word, any case ("nato" matches NATO, Nato; never senator)
//   stem*       any word that begins with stem ("Azerbaijan*" matches Azerbaijani)
//   two words   a phrase: the words in a row, across spaces, line breaks, hyphens, apostrophes
//   ...!        the letters exactly as written, case and diacritics ("NATO!", "PfP!")
//   ...~        diacritics ignored ("Azərbaycan~" also matches Azerbaycan)
//   weak:...    counts only with a strong term of the topic, or a second weak one
// A word followed by an apostrophe or hyphen suffix still matches: NATO'nun, NATO’ya, NATO-nun.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace newsmon::tag {

struct TermWord {
    std::string original;     // as written, for case-sensitive terms
    std::string folded;       // case-folded, diacritics kept
    std::string base;         // case-folded, diacritics removed: what the matcher indexes
    bool prefix = false;      // written with a trailing *
    bool plain_ascii = false; // no letters beyond ASCII: an ASCII word needs no folding to compare
};

struct Term {
    std::string text; // as configured
    std::vector<TermWord> words;
    bool case_sensitive = false;
    bool ignore_diacritics = false;
    bool weak = false;
};

[[nodiscard]] tl::expected<Term, std::string> parse_term(std::string_view text);

} // namespace newsmon::tag

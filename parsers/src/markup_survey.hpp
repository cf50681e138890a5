// Internal: one pass over a decoded feed before pugixml parses it, for what pugixml does not
// report: how deep elements nest, which references XML itself does not define, characters
// XML forbids, and where the CDATA sections are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace newsmon::parsers::detail {

// Where a CDATA section's content lies in the surveyed text.
struct CdataSpan {
    std::size_t begin = 0;
    std::size_t size = 0;
    bool carriage_returns = false; // may hold a CR (pugixml would turn CR LF into LF)
    bool valid_utf8 = true;        // false only when the survey checked and found it invalid
};

struct MarkupSurvey {
    bool too_deep = false;                     // elements nest deeper than the limit
    std::vector<std::string> html_names;       // HTML-only reference names ("nbsp"), the first five
    bool bare_ampersand = false;               // an '&' that starts no reference
    bool upper_hex_reference = false;          // "&#X41;", which pugixml leaves as text
    bool unusable_character_reference = false; // "&#x110000;": see unusable_reference_at
    std::vector<CdataSpan> cdata;              // every closed CDATA section outside comments
    std::string skeleton;                      // the text with those sections emptied
    bool forbidden_characters = false;         // a character XML forbids (C0 control, U+FFFE/FFFF)
};

// The length of the character reference at `at` ("&#...;") when it names no character at all:
// past U+10FFFF, a UTF-16 surrogate, or NUL. pugixml would write such a code point's bytes as
// if it were one, which then read as several invalid sequences. 0 for any other text.
[[nodiscard]] std::size_t unusable_reference_at(std::string_view at);

// Stops early once elements nest deeper than `max_depth`. CDATA sections and comments are no
// markup; references count wherever they are. `check_cdata_utf8`: check each CDATA section as
// UTF-8 while its bytes are at hand (text not yet known to be UTF-8).
[[nodiscard]] MarkupSurvey survey_markup(std::string_view text, std::size_t max_depth,
                                         bool check_cdata_utf8);

} // namespace newsmon::parsers::detail

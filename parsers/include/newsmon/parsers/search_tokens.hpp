// The tokens PostgreSQL's default text search parser cuts from a text, for the texts made only
// of words, numbers (decimals and dotted dates too) and plain punctuation, so that
// articles.search can be assembled without PostgreSQL parsing the text (the most of its work
// on a new article). Anything the default parser would read as more than that (a host, a URL,
// an e-mail address, a path, a number in scientific notation, an XML tag or entity), or a text
// over 256 KB, makes the text declined, and PostgreSQL parses it as before.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace newsmon::parsers {

// The token types of the default parser that a text accepted here holds, by its aliases
// (`SELECT alias FROM ts_token_type('default')`).
enum class SearchTokenType : std::uint8_t {
    asciiword,       // all ASCII letters
    word,            // letters, some beyond ASCII
    numword,         // letters and digits
    asciihword,      // hyphenated, all ASCII letters
    hword,           // hyphenated, letters
    numhword,        // hyphenated, letters and digits
    hword_asciipart, // one part of a hyphenated word, after the whole
    hword_part,
    hword_numpart,
    int_,    // signed integer: "-5", "+3"
    uint,    // unsigned integer
    float_,  // decimal: "1.5", "-0.25"
    version, // digits in three or more dotted groups: "05.12.2026"
};
inline constexpr std::size_t k_search_token_types = 13;

// The alias PostgreSQL gives the type ("int" for int_, "float" for float_).
[[nodiscard]] std::string_view search_token_alias(SearchTokenType type);

struct SearchToken {
    std::string_view text; // as it stands in the source, case kept
    SearchTokenType type{};
};

// The tokens of `text` as PostgreSQL 15's default parser returns them (spaces left out), in
// its order, for a database whose LC_CTYPE is a UTF-8 locale other than C; false when the text
// holds something this reading does not cover. Appends to `out`, and only on success.
[[nodiscard]] bool search_tokens(std::string_view text, std::vector<SearchToken>& out);

} // namespace newsmon::parsers

// Small text helpers shared by the format parsers: whitespace folding, tag stripping, hashing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsmon::parsers {

// Trims and folds every run of ASCII whitespace into one space.
[[nodiscard]] std::string collapse_whitespace(std::string_view text);

// The number of code points in UTF-8 text: every byte but the continuation bytes.
[[nodiscard]] inline std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

[[nodiscard]] bool iequals_ascii(std::string_view a, std::string_view b);

// A title reduced to what identifies a story across agencies: letters and digits only,
// case-folded (full Unicode folding), so "NATO: Summit Opens!" and "Nato summit opens" meet;
// two numbers apart in the title stay apart ("1/12" is "1-12", never "11/2").
[[nodiscard]] std::string title_key(std::string_view title);

// A stable 64-bit FNV-1a digest as 16 hex digits; used for identities, not for security.
[[nodiscard]] std::string stable_hash_hex(std::string_view text);

// A fast 64-bit digest (8 bytes at a time) as 16 hex digits, to tell whether content changed.
// Not for identities that are stored as keys: use stable_hash_hex for those.
[[nodiscard]] std::string change_digest_hex(std::string_view text);

} // namespace newsmon::parsers

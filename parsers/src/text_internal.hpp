// Internal text helpers shared by the HTML and feed code.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

namespace newsmon::parsers {

// sanitize_html written into `out`, an empty string in the memory it should live in.
void sanitize_html_into(std::string_view html, std::string_view base_url, std::pmr::string& out);

void append_utf8(std::string& out, char32_t code);

// Decodes the character reference at text[0] == '&' onto `out`; returns the bytes it used, 0
// when there is no reference there.
std::size_t decode_reference(std::string_view text, std::string& out);

// The numeric character reference at text[0] == '&', text[1] == '#' ("&#65;", "&#x41;",
// "&#X41;"): its code point (past U+10FFFF it stays past it, not the exact value), how many
// digits it has, and where they end (the ';', if one follows).
struct NumericReference {
    std::uint32_t code = 0;
    std::size_t digits = 0;
    std::size_t end = 0;
};
NumericReference read_numeric_reference(std::string_view text);

// True when `text` holds a character reference that decode_entities would replace.
[[nodiscard]] bool has_decodable_reference(std::string_view text);

// True when `fragment` begins the name of some named reference ("nbs" begins "nbsp;").
[[nodiscard]] bool is_reference_prefix(std::string_view fragment);

// True when html_to_text would return `html` unchanged: no markup, no references, no white
// space to collapse.
[[nodiscard]] bool is_plain_text(std::string_view html);

// What resolve_url(base, reference) returns when that is a part of `reference` itself (it is
// absolute, or `base` is not), else nullopt.
[[nodiscard]] std::optional<std::string_view> resolves_to_itself(std::string_view base,
                                                                 std::string_view reference);

// True when collapse_whitespace would return `text` unchanged: no white space at either end,
// none but single spaces inside. Most values are, and are then used as they are.
[[nodiscard]] bool is_collapsed(std::string_view text);

[[nodiscard]] inline char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] inline bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace newsmon::parsers

#include <utility>
#include <vector>

namespace newsmon::parsers {

using HtmlAttributes = std::vector<std::pair<std::string, std::string>>; // name, decoded value

// The attributes of every start tag named `name` (lower case) in an HTML document.
[[nodiscard]] std::vector<HtmlAttributes> find_start_tags(std::string_view html,
                                                          std::string_view name);

} // namespace newsmon::parsers

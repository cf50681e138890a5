// HTML5 character references. The named table is generated from the WHATWG list at build time.
#include <algorithm>
#include <array>
#include <cstdint>

#include "newsmon/parsers/html.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {
namespace {

struct NamedReference {
    std::string_view name; // includes the ';' when the reference needs one
    std::string_view utf8;
};

constexpr NamedReference k_named[] = {
#include "html_entities.inc"
};

constexpr std::size_t k_longest_name = 32;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const NamedReference* find_named(std::string_view name) {
    // The references news markup is made of, found without a search.
    static constexpr NamedReference k_common[] = {
        {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"nbsp;", "\xC2\xA0"}};
    for (const auto& common : k_common)
        if (common.name == name)
            return &common;
    auto found = std::lower_bound(
        std::begin(k_named), std::end(k_named), name,
        [](const NamedReference& entry, std::string_view key) { return entry.name < key; });
    if (found == std::end(k_named) || found->name != name)
        return nullptr;
    return found;
}

// HTML5 maps these code points of numeric references to what windows-1252 meant by them.
char32_t windows_1252_fixup(char32_t code) {
    static constexpr std::array<char16_t, 32> k_c1 = {
        0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
    if (code >= 0x80 && code <= 0x9F)
        return k_c1[code - 0x80];
    return code;
}

} // namespace

NumericReference read_numeric_reference(std::string_view text) {
    NumericReference reference;
    bool hex = text.size() > 2 && (text[2] == 'x' || text[2] == 'X');
    std::size_t i = hex ? 3 : 2;
    for (; i < text.size(); ++i, ++reference.digits) {
        char c = text[i];
        int value = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
        if (value < 0)
            break;
        if (reference.code <= 0x10FFFF)
            reference.code = reference.code * (hex ? 16u : 10u) + static_cast<std::uint32_t>(value);
    }
    reference.end = i;
    return reference;
}

std::size_t decode_reference(std::string_view text, std::string& out) {
    if (text.size() < 2)
        return 0;
    if (text[1] == '#') {
        auto [code, digits, i] = read_numeric_reference(text);
        if (digits == 0)
            return 0;
        if (i < text.size() && text[i] == ';')
            ++i;
        char32_t decoded = windows_1252_fixup(code);
        if (decoded == 0 || decoded > 0x10FFFF || (decoded >= 0xD800 && decoded <= 0xDFFF))
            decoded = 0xFFFD;
        if (decoded >= 0x20 || decoded == '\t' || decoded == '\n' || decoded == '\r')
            append_utf8(out, decoded); // other C0 controls are dropped: XML forbids them
        return i;
    }
    std::size_t end = 1;
    while (end < text.size() && end <= k_longest_name && is_name_char(text[end]))
        ++end;
    if (end == 1)
        return 0;
    if (end < text.size() && text[end] == ';') {
        if (const auto* entry = find_named(text.substr(1, end))) {
            out += entry->utf8;
            return end + 1;
        }
    }
    // Legacy references may omit the ';' ("&amp", "&copy 2025"); only when the whole name is
    // one, so that "&region=2" in a pasted URL does not turn into "®ion=2".
    std::string_view name = text.substr(1, end - 1);
    bool followed_by_equals = end < text.size() && text[end] == '=';
    if (!followed_by_equals)
        if (const auto* entry = find_named(name)) {
            out += entry->utf8;
            return end;
        }
    return 0;
}

std::string decode_entities(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) {
            out.append(text.substr(pos));
            break;
        }
        out.append(text.substr(pos, amp - pos));
        std::size_t used = decode_reference(text.substr(amp), out);
        if (used == 0) {
            out.push_back('&');
            used = 1;
        }
        pos = amp + used;
    }
    return out;
}

bool is_reference_prefix(std::string_view fragment) {
    if (fragment.empty())
        return false;
    auto found = std::lower_bound(
        std::begin(k_named), std::end(k_named), fragment,
        [](const NamedReference& entry, std::string_view key) { return entry.name < key; });
    return found != std::end(k_named) && found->name.starts_with(fragment);
}

bool has_decodable_reference(std::string_view text) {
    std::string scratch;
    for (std::size_t amp = text.find('&'); amp != std::string_view::npos;
         amp = text.find('&', amp + 1)) {
        scratch.clear();
        if (decode_reference(text.substr(amp), scratch) > 0)
            return true;
    }
    return false;
}

} // namespace newsmon::parsers

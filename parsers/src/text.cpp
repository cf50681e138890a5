#include "newsmon/parsers/text.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "byte_scan.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

bool is_collapsed(std::string_view text) {
    if (!scan::any_at_most(text.data(), text.data() + text.size(), ' '))
        return true; // no white space at all: links, guids, dates without spaces
    if (is_space(text.front()) || is_space(text.back()))
        return false;
    bool after_space = false;
    for (char c : text) {
        if (is_space(c)) {
            if (c != ' ' || after_space)
                return false;
            after_space = true;
        } else {
            after_space = false;
        }
    }
    return true;
}

std::string collapse_whitespace(std::string_view text) {
    if (is_collapsed(text))
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space)
            out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string title_key(std::string_view title) {
    icu::UnicodeString folded = icu::UnicodeString::fromUTF8(
        icu::StringPiece(title.data(), static_cast<int32_t>(title.size())));
    folded.foldCase();
    icu::UnicodeString kept;
    bool dropped = false; // since the last character kept
    for (int32_t i = 0; i < folded.length();) {
        UChar32 c = folded.char32At(i);
        if (u_isalnum(c)) {
            // Numbers stay apart: "1/12" and "11/2" are not the same title.
            if (dropped && u_isdigit(c) && kept.length() > 0 &&
                u_isdigit(kept.char32At(kept.length() - 1)))
                kept.append(UChar32{'-'});
            kept.append(c);
            dropped = false;
        } else {
            dropped = true;
        }
        i += U16_LENGTH(c);
    }
    std::string out;
    kept.toUTF8String(out);
    return out;
}

std::string change_digest_hex(std::string_view text) {
    constexpr std::uint64_t k_multiplier = 0x9E3779B97F4A7C15ULL;
    std::uint64_t hash = 0x243F6A8885A308D3ULL ^ (text.size() * k_multiplier);
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, sizeof word);
        hash = (((hash << 27) | (hash >> 37)) ^ word) * k_multiplier;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
    hash = (((hash << 27) | (hash >> 37)) ^ tail) * k_multiplier;
    hash ^= hash >> 33; // final mixing, so that every input bit reaches every output bit
    hash *= 0xFF51AFD7ED558CCDULL;
    hash ^= hash >> 33;
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

std::string stable_hash_hex(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

} // namespace newsmon::parsers

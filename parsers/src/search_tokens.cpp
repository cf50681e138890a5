#include "newsmon/parsers/search_tokens.hpp"

#include <array>

#include <unicode/utf8.h>

namespace newsmon::parsers {
namespace {

// How the default parser sees a character, in a UTF-8 locale (iswalpha, iswdigit): only the
// letters of the scripts newsmon reads and a few kinds of punctuation are classified here;
// anything else (other scripts, combining marks, zero-width characters, symbols) declines the
// text rather than guess how the locale classifies it.
enum class Kind : std::uint8_t { ascii_letter, letter, digit, other, declined };

struct Char {
    char32_t code = 0;
    std::uint32_t begin = 0; // byte offsets
    std::uint32_t end = 0;
    Kind kind = Kind::other;
};

// Longer tokens are rare and meet PostgreSQL's limits (a stemmer's 1,000 bytes, a lexeme's
// 2,047): declined.
constexpr std::uint32_t k_longest_token = 256;

// A longer text holds more positions than PostgreSQL keeps (16,383) and would hold its
// characters here at 16 bytes each: declined, so that a hostile page costs no more memory than
// this.
constexpr std::size_t k_longest_text = 256 * 1024;

bool is_non_ascii_letter(char32_t c) {
    return (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7)           // Latin-1 letters
           || (c >= 0x100 && c <= 0x17F)                                // Latin Extended-A
           || c == 0x18F || c == 0x259                                  // Ə ə
           || (c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x4FF); // Cyrillic letters
}

bool is_non_ascii_punctuation(char32_t c) {
    return c == 0xA0 || c == 0xAB || c == 0xBB // no-break space, « »
           || (c >= 0x2010 && c <= 0x2015)     // hyphens and dashes
           || (c >= 0x2018 && c <= 0x201F)     // quotation marks
           || c == 0x2022 || c == 0x2026       // bullet, ellipsis
           || c == 0xA3 || c == 0x20AC || c == 0x20BA || c == 0x20BC ||
           c == 0x20BD                               // £ € ₺ ₼ ₽
           || c == 0xA9 || c == 0xB0 || c == 0x2116; // © ° №
}

Kind classify(char32_t c) {
    if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return Kind::ascii_letter;
        if (c >= '0' && c <= '9')
            return Kind::digit;
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            return Kind::other;
        return Kind::declined; // control characters
    }
    if (is_non_ascii_letter(c))
        return Kind::letter;
    if (is_non_ascii_punctuation(c))
        return Kind::other;
    return Kind::declined;
}

bool is_ascii_alnum(char32_t c) {
    return c < 0x80 && (classify(c) == Kind::ascii_letter || classify(c) == Kind::digit);
}

bool is_ascii_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool decode(std::string_view text, std::vector<Char>& chars) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    auto length = static_cast<std::int32_t>(text.size());
    for (std::int32_t offset = 0; offset < length;) {
        auto begin = static_cast<std::uint32_t>(offset);
        UChar32 code = 0;
        U8_NEXT(bytes, offset, length, code);
        if (code < 0)
            return false;
        Kind kind = classify(static_cast<char32_t>(code));
        if (kind == Kind::declined)
            return false;
        chars.push_back(
            {static_cast<char32_t>(code), begin, static_cast<std::uint32_t>(offset), kind});
    }
    return true;
}

// A '.' between digits may make a decimal or a version, which the tokenizer reads; before an
// ASCII letter or digit, '_' or '/' it makes a host, file name or path; two dots alone before
// a space, a '/' or the end are a path.
bool dot_is_plain(const std::vector<Char>& chars, std::size_t i) {
    auto code_at = [&](std::size_t at) { return at < chars.size() ? chars[at].code : U'\0'; };
    bool between_digits = i > 0 && i + 1 < chars.size() && chars[i - 1].kind == Kind::digit &&
                          chars[i + 1].kind == Kind::digit;
    char32_t next = code_at(i + 1);
    if (!between_digits && (is_ascii_alnum(next) || next == '_' || next == '/'))
        return false;
    bool two_dots = next == '.' && code_at(i + 2) != '.' && (i == 0 || chars[i - 1].code != '.');
    char32_t after = code_at(i + 2);
    return !(two_dots && (after == 0 || after >= 0x80 || is_ascii_space(after) || after == '/'));
}

// Punctuation the default parser reads on from: followed by an ASCII letter (or digit, where
// `digits_too`) or one of `followers`, it starts a path ('/', '~') or an XML entity or tag ('&',
// '<').
struct Lead {
    char32_t punctuation;
    bool digits_too;
    std::u32string_view followers;
};
constexpr Lead k_leads[] = {
    {'/', true, U"._?~"}, {'~', true, U"_/"}, {'&', false, U"#:_"}, {'<', false, U"/!?:_"}};

// What the default parser reads from some punctuation next to other characters: a path or an
// XML tag or entity (k_leads), a protocol before "//", an e-mail address around '@', a host,
// file name or decimal around '.', a path of two dots.
bool punctuation_is_plain(const std::vector<Char>& chars) {
    auto code_at = [&](std::size_t i) { return i < chars.size() ? chars[i].code : U'\0'; };
    auto leads_on = [&](std::size_t i, const Lead& lead) {
        char32_t next = code_at(i + 1);
        Kind kind = i + 1 < chars.size() ? chars[i + 1].kind : Kind::other;
        return kind == Kind::ascii_letter || (lead.digits_too && kind == Kind::digit) ||
               (next != 0 && lead.followers.find(next) != std::u32string_view::npos);
    };
    for (std::size_t i = 0; i < chars.size(); ++i) {
        char32_t c = chars[i].code;
        for (const auto& lead : k_leads)
            if (c == lead.punctuation && leads_on(i, lead))
                return false;
        if (c == ':' && code_at(i + 1) == '/')
            return false;
        if (c == '@' && i > 0 && chars[i - 1].kind != Kind::other)
            return false;
        if (c == '.' && !dot_is_plain(chars, i))
            return false;
    }
    return true;
}

class Tokenizer {
public:
    Tokenizer(const std::vector<Char>& chars, std::string_view text, std::vector<SearchToken>& out)
        : m_chars(chars), m_text(text), m_out(out) {}

    bool run() {
        std::size_t i = 0;
        while (i < m_chars.size()) {
            const Char& c = m_chars[i];
            if (c.kind != Kind::other)
                i = word_at(i);
            else if ((c.code == '-' || c.code == '+') && kind_at(i + 1) == Kind::digit)
                i = number_at(i, i + 1);
            else
                ++i;
            if (i == k_declined)
                return false;
        }
        return true;
    }

private:
    static constexpr std::size_t k_declined = static_cast<std::size_t>(-1);

    Kind kind_at(std::size_t i) const { return i < m_chars.size() ? m_chars[i].kind : Kind::other; }
    char32_t code_at(std::size_t i) const { return i < m_chars.size() ? m_chars[i].code : 0; }
    bool is_alpha(std::size_t i) const {
        return kind_at(i) == Kind::ascii_letter || kind_at(i) == Kind::letter;
    }
    std::size_t end_of(std::size_t i, bool digits_only) const {
        while (i < m_chars.size() &&
               (m_chars[i].kind == Kind::digit || (!digits_only && is_alpha(i))))
            ++i;
        return i;
    }
    // After digits, "e5", "E+5", "e-" start a number in scientific notation.
    bool exponent_at(std::size_t i) const {
        char32_t sign_or_digit = code_at(i + 1);
        return (code_at(i) == 'e' || code_at(i) == 'E') &&
               (kind_at(i + 1) == Kind::digit || sign_or_digit == '+' || sign_or_digit == '-');
    }

    bool emit(std::size_t begin, std::size_t end, SearchTokenType type) {
        std::uint32_t from = m_chars[begin].begin;
        std::uint32_t to = m_chars[end - 1].end;
        if (to - from > k_longest_token)
            return false;
        m_out.push_back({m_text.substr(from, to - from), type});
        return true;
    }

    // The type of a run of letters and digits: [0] alone, [1] in a hyphenated word, [2] part.
    std::array<SearchTokenType, 3> types_of(std::size_t begin, std::size_t end) const {
        bool digit = false;
        bool non_ascii = false;
        for (std::size_t i = begin; i < end; ++i) {
            digit = digit || m_chars[i].kind == Kind::digit;
            non_ascii = non_ascii || m_chars[i].kind == Kind::letter;
        }
        using T = SearchTokenType;
        if (digit)
            return {T::numword, T::numhword, T::hword_numpart};
        if (non_ascii)
            return {T::word, T::hword, T::hword_part};
        return {T::asciiword, T::asciihword, T::hword_asciipart};
    }

    // Digits and the dotted groups after them: "1.5" (float), "05.12.2026" (version). The
    // parser reads a number after a sign with one group at most.
    std::size_t number_at(std::size_t begin, std::size_t digits_begin) {
        std::size_t end = end_of(digits_begin, true);
        int groups = 0;
        while (code_at(end) == '.' && kind_at(end + 1) == Kind::digit) {
            end = end_of(end + 1, true);
            ++groups;
        }
        bool is_signed = begin != digits_begin;
        if (exponent_at(end) || (is_signed && groups > 1) || (groups > 0 && is_dotted_digit(end)))
            return k_declined;
        auto type = groups == 0   ? (is_signed ? SearchTokenType::int_ : SearchTokenType::uint)
                    : groups == 1 ? SearchTokenType::float_
                                  : SearchTokenType::version;
        return emit(begin, end, type) ? end : k_declined;
    }

    bool is_dotted_digit(std::size_t i) const {
        return code_at(i) == '.' && kind_at(i + 1) == Kind::digit;
    }

    std::size_t word_at(std::size_t begin) {
        std::size_t end = end_of(begin, false);
        if (m_chars[begin].kind == Kind::digit && end_of(begin, true) == end)
            return number_at(begin, begin);
        if (m_chars[begin].kind == Kind::digit && exponent_at(end_of(begin, true)))
            return k_declined;
        if (code_at(end) == '-')
            if (std::size_t after = hyphenated_at(begin, end); after != 0)
                return after;
        // "x1.5" is a file name to the parser
        if (is_dotted_digit(end))
            return k_declined;
        return emit(begin, end, types_of(begin, end)[0]) ? end : k_declined;
    }

    // A hyphenated word: parts of letters (digits may lead a part that has letters after them)
    // joined by single hyphens. The whole comes first, then each part. 0 when the run at
    // [begin, end) is not the first part of one.
    std::size_t hyphenated_at(std::size_t begin, std::size_t end) {
        m_parts.assign(1, {begin, end});
        std::size_t at = end;
        while (code_at(at) == '-') {
            std::size_t part = at + 1;
            if (!is_alpha(part) && !(kind_at(part) == Kind::digit && is_alpha(end_of(part, true))))
                break;
            at = end_of(part, false);
            m_parts.emplace_back(part, at);
        }
        if (m_parts.size() == 1)
            return 0;
        bool digit = false;
        bool non_ascii = false;
        for (auto [from, to] : m_parts) {
            auto type = types_of(from, to)[1];
            digit = digit || type == SearchTokenType::numhword;
            non_ascii = non_ascii || type == SearchTokenType::hword;
        }
        auto whole = digit       ? SearchTokenType::numhword
                     : non_ascii ? SearchTokenType::hword
                                 : SearchTokenType::asciihword;
        if (!emit(begin, at, whole))
            return k_declined;
        for (auto [from, to] : m_parts)
            if (!emit(from, to, types_of(from, to)[2]))
                return k_declined;
        if (is_dotted_digit(at))
            return k_declined;
        // The parser reads on past the whole for parts: a hyphen and digits after it are a
        // separator and an unsigned number, not a signed one.
        if (code_at(at) == '-' && kind_at(at + 1) == Kind::digit)
            return at + 1;
        return at;
    }

    const std::vector<Char>& m_chars;
    std::string_view m_text;
    std::vector<SearchToken>& m_out;
    std::vector<std::pair<std::size_t, std::size_t>> m_parts;
};

} // namespace

std::string_view search_token_alias(SearchTokenType type) {
    static constexpr std::array<std::string_view, k_search_token_types> k_aliases = {
        "asciiword",       "word",       "numword",       "asciihword", "hword", "numhword",
        "hword_asciipart", "hword_part", "hword_numpart", "int",        "uint",  "float",
        "version"};
    return k_aliases[static_cast<std::size_t>(type)];
}

bool search_tokens(std::string_view text, std::vector<SearchToken>& out) {
    if (text.size() > k_longest_text)
        return false;
    thread_local std::vector<Char> chars;
    chars.clear();
    if (!decode(text, chars) || !punctuation_is_plain(chars))
        return false;
    std::size_t kept = out.size();
    if (Tokenizer(chars, text, out).run())
        return true;
    out.resize(kept);
    return false;
}

} // namespace newsmon::parsers

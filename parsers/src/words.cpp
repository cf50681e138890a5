#include "newsmon/parsers/words.hpp"

#include <algorithm>
#include <array>
#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace newsmon::parsers {
namespace {

// What one code point becomes: whether it belongs to a word, and its folded and base forms
// as UTF-8 (full folding can expand one letter into several: ß -> ss).
struct Folding {
    bool word = false;
    std::uint8_t folded_length = 0;
    std::uint8_t base_length = 0;
    std::array<char, 12> folded{};
    std::array<char, 12> base{};
};

// Code points below this are folded from a table built once; the rest (rare in news text)
// are folded on demand.
constexpr char32_t k_table_limit = 0x3000;

void set_utf8(const icu::UnicodeString& text, std::array<char, 12>& out, std::uint8_t& length) {
    std::string utf8;
    text.toUTF8String(utf8);
    length = static_cast<std::uint8_t>(std::min(utf8.size(), out.size()));
    std::copy_n(utf8.begin(), length, out.begin());
}

// Letters that are not a base letter with a mark, but are read as one.
char32_t base_letter(char32_t c) {
    switch (c) {
    case 0x0259: // ə
    case 0x018F: // Ə
        return 'e';
    case 0x0131: // ı
        return 'i';
    case 0x00F8: // ø
    case 0x00D8:
        return 'o';
    case 0x0111: // đ
    case 0x0110:
        return 'd';
    case 0x0142: // ł
    case 0x0141:
        return 'l';
    default:
        return c;
    }
}

Folding compute_folding(char32_t c) {
    Folding folding;
    auto type = static_cast<UCharCategory>(u_charType(static_cast<UChar32>(c)));
    folding.word = u_isalnum(static_cast<UChar32>(c)) || type == U_NON_SPACING_MARK ||
                   type == U_COMBINING_SPACING_MARK;
    if (!folding.word)
        return folding;
    icu::UnicodeString folded;
    if (c == 0x0130 || c == 0x0131 || c == 'I') // Turkish İ and ı, and I: all one i
        folded = icu::UnicodeString(static_cast<UChar32>('i'));
    else
        folded = icu::UnicodeString(static_cast<UChar32>(c)).foldCase();
    set_utf8(folded, folding.folded, folding.folded_length);

    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(folded, status) : folded;
    icu::UnicodeString base;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 part = decomposed.char32At(i);
        i += U16_LENGTH(part);
        if (u_charType(part) == U_NON_SPACING_MARK)
            continue;
        base.append(static_cast<UChar32>(base_letter(static_cast<char32_t>(part))));
    }
    set_utf8(base, folding.base, folding.base_length);
    return folding;
}

const std::vector<Folding>& folding_table() {
    static const std::vector<Folding> k_table = [] {
        std::vector<Folding> table(k_table_limit);
        for (char32_t c = 0; c < k_table_limit; ++c)
            table[c] = compute_folding(c);
        return table;
    }();
    return k_table;
}

// Decodes the code point at text[i] (advancing i); invalid bytes read as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (length == 1 || i + length > text.size()) {
        ++i;
        return lead < 0x80 ? lead : 0xFFFD;
    }
    char32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k)
        c = (c << 6) | (byte(i + k) & 0x3F);
    i += length;
    return c;
}

// The folding of a code point at or above the table's limit.
Folding rare_folding(char32_t c) {
    return compute_folding(c);
}

enum class Form { folded, base };

template <Form form> void append_form(const Folding& folding, std::string& out) {
    if constexpr (form == Form::folded)
        out.append(folding.folded.data(), folding.folded_length);
    else
        out.append(folding.base.data(), folding.base_length);
}

template <Form form> std::string word_form(std::string_view word) {
    const auto& table = folding_table();
    std::string out;
    for (std::size_t i = 0; i < word.size();) {
        char32_t c = next_code_point(word, i);
        Folding folding = c < k_table_limit ? table[c] : rare_folding(c);
        if (folding.word)
            append_form<form>(folding, out);
    }
    return out;
}

// ASCII letters and digits: their base form is themselves, lower-cased.
constexpr std::array<char, 128> k_ascii_base = [] {
    std::array<char, 128> table{};
    for (int c = 0; c < 128; ++c) {
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool digit = c >= '0' && c <= '9';
        table[static_cast<std::size_t>(c)] = letter  ? static_cast<char>(c | 0x20)
                                             : digit ? static_cast<char>(c)
                                                     : '\0';
    }
    return table;
}();

} // namespace

void split_words(std::string_view text, WordList& out) {
    const auto& table = folding_table();
    out.base.reserve(out.base.size() + text.size());
    bool in_word = false;
    Word current;
    auto open_word = [&](std::size_t at) {
        if (in_word)
            return;
        current.source_begin = static_cast<std::uint32_t>(at);
        current.base_begin = static_cast<std::uint32_t>(out.base.size());
        in_word = true;
    };
    auto close_word = [&](std::size_t at) {
        current.source_end = static_cast<std::uint32_t>(at);
        current.base_end = static_cast<std::uint32_t>(out.base.size());
        out.words.push_back(current);
        in_word = false;
    };
    for (std::size_t i = 0; i < text.size();) {
        std::size_t start = i;
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            ++i;
            char base = k_ascii_base[byte];
            if (base == '\0') {
                if (in_word)
                    close_word(start);
                continue;
            }
            open_word(start);
            out.base.push_back(byte == 'I' ? 'i' : base);
            continue;
        }
        char32_t c = next_code_point(text, i);
        Folding rare;
        const Folding& folding = c < k_table_limit ? table[c] : (rare = rare_folding(c));
        if (!folding.word) {
            if (in_word)
                close_word(start);
            continue;
        }
        open_word(start);
        append_form<Form::base>(folding, out.base);
    }
    if (in_word)
        close_word(text.size());
}

std::string fold_word(std::string_view word) {
    return word_form<Form::folded>(word);
}

std::string base_word(std::string_view word) {
    return word_form<Form::base>(word);
}

} // namespace newsmon::parsers

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
    bool az_cyrillic = false; // a letter only Azerbaijani writes in Cyrillic: ә, ғ, ҹ, һ, ј, ө, ү
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

// Characters inside a word that are not part of it: the soft hyphen (a line-break hint in
// "Северо\u00ADатлантический"), the joiners, and the dot above that İ leaves when it is
// lower-cased outside Turkish (i + U+0307). They neither end a word nor add to it.
bool is_invisible_in_word(char32_t c) {
    return c == 0x00AD || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x0307;
}

bool is_az_cyrillic(char32_t c) {
    switch (c) {
    case 0x04D8:
    case 0x04D9: // Ә ә
    case 0x0492:
    case 0x0493: // Ғ ғ
    case 0x04B8:
    case 0x04B9: // Ҹ ҹ
    case 0x04BA:
    case 0x04BB: // Һ һ
    case 0x0408:
    case 0x0458: // Ј ј
    case 0x04E8:
    case 0x04E9: // Ө ө
    case 0x04AE:
    case 0x04AF: // Ү ү
        return true;
    default:
        return false;
    }
}

Folding compute_folding(char32_t c) {
    Folding folding;
    if (is_invisible_in_word(c)) {
        folding.word = true; // with empty forms
        return folding;
    }
    auto type = static_cast<UCharCategory>(u_charType(static_cast<UChar32>(c)));
    folding.word = u_isalnum(static_cast<UChar32>(c)) || type == U_NON_SPACING_MARK ||
                   type == U_COMBINING_SPACING_MARK;
    if (!folding.word)
        return folding;
    folding.az_cyrillic = is_az_cyrillic(c);
    icu::UnicodeString folded;
    if (c == 0x0130 || c == 0x0131 || c == 'I') // Turkish İ and ı, and I: all one i
        folded = icu::UnicodeString(static_cast<UChar32>('i'));
    else if (c == 0x0401 || c == 0x0451) // Ё and ё are е in every term and text
        folded = icu::UnicodeString(static_cast<UChar32>(0x0435));
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

// Azerbaijani Cyrillic (1939-1991, still read in Dagestan) to the Latin alphabet, lower-case.
const char* az_latin_of(char32_t c) {
    switch (c) {
    case 0x0430:
    case 0x0410:
        return "a";
    case 0x0431:
    case 0x0411:
        return "b";
    case 0x0432:
    case 0x0412:
        return "v";
    case 0x0433:
    case 0x0413:
        return "q";
    case 0x0493:
    case 0x0492:
        return "ğ";
    case 0x0434:
    case 0x0414:
        return "d";
    case 0x0435:
    case 0x0415:
    case 0x044D:
    case 0x042D:
        return "e";
    case 0x04D9:
    case 0x04D8:
        return "ə";
    case 0x0436:
    case 0x0416:
        return "j";
    case 0x0437:
    case 0x0417:
        return "z";
    case 0x0438:
    case 0x0418:
        return "i";
    case 0x044B:
    case 0x042B:
        return "ı";
    case 0x0458:
    case 0x0408:
    case 0x0439:
    case 0x0419:
        return "y";
    case 0x043A:
    case 0x041A:
        return "k";
    case 0x049D:
    case 0x049C:
        return "g"; // ҝ, the Azerbaijani g
    case 0x043B:
    case 0x041B:
        return "l";
    case 0x043C:
    case 0x041C:
        return "m";
    case 0x043D:
    case 0x041D:
        return "n";
    case 0x043E:
    case 0x041E:
        return "o";
    case 0x04E9:
    case 0x04E8:
        return "ö";
    case 0x043F:
    case 0x041F:
        return "p";
    case 0x0440:
    case 0x0420:
        return "r";
    case 0x0441:
    case 0x0421:
        return "s";
    case 0x0442:
    case 0x0422:
        return "t";
    case 0x0443:
    case 0x0423:
        return "u";
    case 0x04AF:
    case 0x04AE:
        return "ü";
    case 0x0444:
    case 0x0424:
        return "f";
    case 0x0445:
    case 0x0425:
        return "x";
    case 0x04BB:
    case 0x04BA:
        return "h";
    case 0x0447:
    case 0x0427:
        return "ç";
    case 0x04B9:
    case 0x04B8:
        return "c";
    case 0x0448:
    case 0x0428:
        return "ş";
    case 0x044E:
    case 0x042E:
        return "yu";
    case 0x044F:
    case 0x042F:
        return "ya";
    case 0x0451:
    case 0x0401:
        return "yo";
    case 0x0446:
    case 0x0426:
        return "ts";
    case 0x044C:
    case 0x042C:
    case 0x044A:
    case 0x042A:
        return "";
    default:
        return nullptr;
    }
}

// Whether the text holds a combining mark of U+0300-U+036F (UTF-8 CC 80 to CD AF).
bool has_combining_mark(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        auto lead = static_cast<unsigned char>(text[i]);
        auto next = static_cast<unsigned char>(text[i + 1]);
        if (lead == 0xCC || (lead == 0xCD && next <= 0xAF))
            return true;
    }
    return false;
}

template <Form form> std::string word_form(std::string_view word) {
    if constexpr (form == Form::folded) {
        // е + U+0308 folds as ё does, and so is е; Ş written S + U+0327 as Ş. (Base forms
        // drop the marks anyway.)
        if (has_combining_mark(word)) {
            std::string whole = composed(word);
            if (whole != word)
                return word_form<form>(whole);
        }
    }
    const auto& table = folding_table();
    if (has_az_cyrillic(word)) {
        std::string latin = latin_azerbaijani(word);
        if (latin != word)
            return word_form<form>(latin);
    }
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

// A word of Azerbaijani Cyrillic, read as the Latin letters it stands for (Азәрбајҹан is
// Azərbaycan): its base form written anew. Out of line, so that the loop stays small.
[[gnu::noinline]] void rebase_as_latin(std::string_view word, std::size_t base_begin,
                                       std::string& base) {
    base.resize(base_begin);
    base += base_word(word);
}

} // namespace

void split_words(std::string_view text, WordList& out) {
    const auto& table = folding_table();
    out.base.reserve(out.base.size() + text.size());
    bool in_word = false;
    bool az_cyrillic = false; // the open word has a letter of Azerbaijani Cyrillic
    Word current;
    auto open_word = [&](std::size_t at) {
        if (in_word)
            return;
        current.source_begin = static_cast<std::uint32_t>(at);
        current.base_begin = static_cast<std::uint32_t>(out.base.size());
        in_word = true;
        az_cyrillic = false;
    };
    auto close_word = [&](std::size_t at) {
        current.source_end = static_cast<std::uint32_t>(at);
        if (az_cyrillic) [[unlikely]]
            rebase_as_latin(text.substr(current.source_begin, at - current.source_begin),
                            current.base_begin, out.base);
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
        if (folding.base_length == 0 && !in_word)
            continue; // an invisible character opens no word
        open_word(start);
        if (folding.az_cyrillic) [[unlikely]]
            az_cyrillic = true;
        append_form<Form::base>(folding, out.base);
    }
    if (in_word)
        close_word(text.size());
}

bool has_az_cyrillic(std::string_view word) {
    for (std::size_t i = 0; i < word.size();) {
        if (static_cast<unsigned char>(word[i]) < 0x80) {
            ++i;
            continue;
        }
        if (is_az_cyrillic(next_code_point(word, i)))
            return true;
    }
    return false;
}

std::string latin_azerbaijani(std::string_view word) {
    std::string out;
    out.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
        std::size_t start = i;
        const char* latin = az_latin_of(next_code_point(word, i));
        if (latin)
            out += latin;
        else
            out.append(word.substr(start, i - start));
    }
    return out;
}

std::string composed(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status))
        return std::string(text);
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    icu::UnicodeString result = nfc->normalize(source, status);
    if (U_FAILURE(status))
        return std::string(text);
    std::string out;
    result.toUTF8String(out);
    return out;
}

std::string fold_word(std::string_view word) {
    return word_form<Form::folded>(word);
}

std::string base_word(std::string_view word) {
    return word_form<Form::base>(word);
}

} // namespace newsmon::parsers

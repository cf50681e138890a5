#include "stories/name_key.hpp"

#include <memory>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "newsmon/parsers/words.hpp"

namespace newsmon::stories {
namespace {

bool has_cyrillic(std::string_view word) {
    for (char c : word) {
        auto byte = static_cast<unsigned char>(c);
        if (byte == 0xD0 || byte == 0xD1 || byte == 0xD2 || byte == 0xD3)
            return true;
    }
    return false;
}

// An ICU transliterator is not safe to share between threads: one per thread, made when first
// used. Null when ICU lacks the rules (the word is then kept as it is).
icu::Transliterator* romanizer() {
    thread_local std::unique_ptr<icu::Transliterator> instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
            "Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        return U_FAILURE(status) ? nullptr : std::move(made);
    }();
    return instance.get();
}

std::string romanize_cyrillic(std::string_view word) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<std::int32_t>(word.size())));
    if (icu::Transliterator* transliterator = romanizer())
        transliterator->transliterate(text);
    std::string out;
    text.toUTF8String(out);
    return out;
}

struct LetterSound {
    std::string_view letter;
    std::string_view sound;
};

// Turkic letters whose sound a plain ASCII fold would lose.
constexpr LetterSound k_turkic_sounds[] = {{"ç", "ch"}, {"ş", "sh"}, {"ğ", ""},  {"ə", "e"},
                                           {"ı", "i"},  {"ö", "o"},  {"ü", "u"}, {"c", "j"}};

std::string spell_turkic(std::string_view folded, tag::Language language) {
    std::string out;
    for (std::size_t i = 0; i < folded.size();) {
        bool replaced = false;
        for (const auto& [letter, sound] : k_turkic_sounds) {
            if (folded.substr(i, letter.size()) == letter) {
                out += sound;
                i += letter.size();
                replaced = true;
                break;
            }
        }
        if (replaced)
            continue;
        if (language == tag::Language::az && folded[i] == 'x')
            out += "kh";
        else if (language == tag::Language::az && folded[i] == 'q')
            out += 'g';
        else
            out += folded[i];
        ++i;
    }
    return out;
}

std::string ascii_only(std::string_view text) {
    std::string out;
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x80 && c != '\'')
            out += c;
    return out;
}

char consonant_class(char c, char next, tag::Language language) {
    switch (c) {
    case 'b':
    case 'p':
        return 'b';
    case 'd':
    case 't':
        return 't';
    case 'g':
    case 'k':
    case 'q':
        return 'k';
    case 'c':
        // English c is s before e, i and y, else k
        if (language == tag::Language::tr || language == tag::Language::az)
            return 'j';
        return next == 'e' || next == 'i' || next == 'y' ? 's' : 'k';
    case 's':
    case 'z':
        return 's';
    case 'f':
    case 'v':
    case 'w':
        return 'v';
    case 'j':
        return 'j';
    case 'h':
    case 'x':
        return 'h';
    case 'l':
    case 'r':
    case 'm':
    case 'n':
        return c;
    default:
        return 0; // vowels, y and anything else carry no class
    }
}

struct Digraph {
    std::string_view spelling;
    char sound;
};

// Spellings of one sound in the romanizations newsrooms use.
constexpr Digraph k_digraphs[] = {{"dzh", 'j'}, {"tch", 'j'}, {"sch", 's'}, {"dj", 'j'},
                                  {"zh", 'j'},  {"ch", 'j'},  {"kh", 'h'},  {"sh", 's'},
                                  {"ts", 's'},  {"ph", 'v'},  {"gh", 'k'},  {"ck", 'k'}};

} // namespace

std::string latin_spelling(std::string_view word, tag::Language language) {
    if (has_cyrillic(word))
        return ascii_only(romanize_cyrillic(word));
    std::string folded = parsers::fold_word(word);
    if (language == tag::Language::tr || language == tag::Language::az)
        folded = spell_turkic(folded, language);
    return ascii_only(parsers::base_word(folded));
}

std::string sound_key(std::string_view latin, tag::Language language) {
    constexpr std::size_t k_consonants = 3;
    std::string key;
    char last = 0;
    std::size_t consonants = 0;
    for (std::size_t i = 0; i < latin.size() && consonants < k_consonants;) {
        char sound = 0;
        std::size_t width = 1;
        for (const auto& [spelling, digraph_sound] : k_digraphs) {
            if (latin.substr(i, spelling.size()) == spelling) {
                sound = digraph_sound;
                width = spelling.size();
                break;
            }
        }
        if (sound == 0) {
            char next = i + 1 < latin.size() ? latin[i + 1] : '\0';
            sound = consonant_class(latin[i], next, language);
        }
        if (i == 0 && sound == 0)
            sound = 'a'; // a name that begins with a vowel
        i += width;
        if (sound == 0 || sound == last)
            continue;
        key += sound;
        last = sound;
        if (sound != 'a')
            ++consonants;
    }
    return key.size() < 2 ? std::string() : key;
}

} // namespace newsmon::stories

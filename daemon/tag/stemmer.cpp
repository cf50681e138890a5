#include "tag/stemmer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/words.hpp"

namespace newsmon::tag {
namespace {

struct SnowballDeleter {
    void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};
using Snowball = std::unique_ptr<sb_stemmer, SnowballDeleter>;

// A Snowball stemmer is not thread-safe: one per thread and language, made when first used.
sb_stemmer* snowball(Language language) {
    thread_local std::array<Snowball, 3> stemmers;
    std::size_t slot = language == Language::en ? 0 : language == Language::ru ? 1 : 2;
    if (!stemmers[slot]) {
        const char* name = slot == 0 ? "english" : slot == 1 ? "russian" : "turkish";
        stemmers[slot].reset(sb_stemmer_new(name, "UTF_8"));
    }
    return stemmers[slot].get();
}

bool is_invisible(UChar32 c) {
    return c == 0x00AD || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x0307;
}

// Lower case as the language writes it: in Turkish and Azerbaijani I is ı and İ is i.
std::string lower_case(std::string_view word, Language language) {
    bool turkic = language == Language::tr || language == Language::az;
    if (std::all_of(word.begin(), word.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        std::string out;
        out.reserve(word.size() + 1);
        for (char c : word) {
            if (turkic && c == 'I')
                out += "ı";
            else
                out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return out;
    }
    // Composed first: е + U+0308 is ё, and so becomes е below.
    std::string whole = parsers::composed(word);
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(whole.data(), static_cast<std::int32_t>(whole.size())));
    icu::UnicodeString lower;
    for (std::int32_t i = 0; i < text.length();) {
        UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (is_invisible(c))
            continue;
        if (turkic && c == 'I')
            c = 0x0131;
        else if (c == 0x0130)
            c = 'i';
        else if (c == 0x0401 || c == 0x0451) // ё is е
            c = 0x0435;
        else
            c = u_tolower(c);
        lower.append(c);
    }
    std::string out;
    lower.toUTF8String(out);
    return out;
}

} // namespace

namespace {

std::string snowball_stem(sb_stemmer* stemmer, const std::string& lower) {
    const sb_symbol* result = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(lower.data()), static_cast<int>(lower.size()));
    if (!result)
        return {};
    return {reinterpret_cast<const char*>(result),
            static_cast<std::size_t>(sb_stemmer_length(stemmer))};
}

// Snowball's Turkish leaves the s of a final possessive -sı (bürosu -> büros, but bürosunun
// -> büro): the form without it is a reading too.
void add_turkish_possessive_reading(const std::string& lower, std::vector<std::string>& stems) {
    const std::string& stem = stems.front();
    if (!stem.ends_with('s') || stem.size() < 2 || lower.size() <= stem.size())
        return;
    std::string_view tail = std::string_view(lower).substr(stem.size() - 1);
    for (std::string_view possessive : {"sı", "si", "su", "sü"})
        if (tail == possessive)
            stems.push_back(stem.substr(0, stem.size() - 1));
}

std::string lower_case_word(std::string_view word, Language language) {
    return parsers::has_az_cyrillic(word) ? lower_case(parsers::latin_azerbaijani(word), language)
                                          : lower_case(word, language);
}

} // namespace

std::vector<std::string> term_stems(std::string_view word, Language language) {
    if (language != Language::az)
        return stem_word(word, language);
    std::vector<std::string> stems{azerbaijani_stems(lower_case_word(word, language)).front()};
    if (parsers::utf8_length(stems.front()) < k_min_stem_letters)
        stems.clear();
    return stems;
}

std::vector<std::string> stem_word(std::string_view word, Language language) {
    if (language == Language::none)
        return {};
    std::string lower = lower_case_word(word, language);
    std::vector<std::string> stems;
    if (language == Language::az) {
        stems = azerbaijani_stems(lower);
    } else if (sb_stemmer* stemmer = snowball(language)) {
        stems.push_back(snowball_stem(stemmer, lower));
        if (language == Language::tr)
            add_turkish_possessive_reading(lower, stems);
    }
    std::erase_if(stems, [](const std::string& stem) {
        return parsers::utf8_length(stem) < k_min_stem_letters;
    });
    return stems;
}

} // namespace newsmon::tag

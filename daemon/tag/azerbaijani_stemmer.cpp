// Azerbaijani suffixes, stripped from the end of a lower-case word. Close to Turkish, not the
// same: Azerbaijani writes ə (-də, -dən, -lər, -yə), has no d/t alternation in the locative
// (Bakıda, Naxçıvanda), and writes suffixes after acronyms with a hyphen (NATO-nun, which the
// word splitter already cuts). Vowel harmony is not checked: every variant of a suffix is
// stripped, which is enough to bring a term and its inflected forms to one stem.
#include <algorithm>
#include <string_view>

#include "newsmon/parsers/text.hpp"
#include "tag/stemmer.hpp"

namespace newsmon::tag {
namespace {

// Suffixes stack in one order: derivation (-lı, -sız), plural, possessive, case, the
// relative -kı, the predicative -dır. Stripping from the end, each next suffix must come
// earlier in that order: Bakunin-in is not read as Baku-ni-nin. `outer` is a suffix's place;
// `inner`, where the next one must be below (lower for a suffix that holds two: -ların).
struct Suffix {
    std::string_view text;
    int outer;
    int inner;
};

constexpr int k_derivation = 0, k_plural = 1, k_possessive = 2, k_case = 3, k_relative = 4,
              k_predicative = 5, k_any = 6;

constexpr Suffix k_suffixes[] = {
    // plural with a possessive or a case
    {"ları", k_possessive, k_plural},
    {"ləri", k_possessive, k_plural},
    {"ların", k_case, k_plural},
    {"lərin", k_case, k_plural},
    {"lara", k_case, k_plural},
    {"lərə", k_case, k_plural},
    {"larda", k_case, k_plural},
    {"lərdə", k_case, k_plural},
    {"lardan", k_case, k_plural},
    {"lərdən", k_case, k_plural},
    {"lar", k_plural, k_plural},
    {"lər", k_plural, k_plural},
    // the relative -kı, after the locative: Bakıdakı, Şurasındakı
    {"dakı", k_relative, k_case},
    {"dəki", k_relative, k_case},
    {"ndakı", k_relative, k_case},
    {"ndəki", k_relative, k_case},
    {"kı", k_relative, k_relative},
    {"ki", k_relative, k_relative},
    // case; after a possessive with n (Şurasının, Təşkilatına, Qərargahında)
    {"dan", k_case, k_case},
    {"dən", k_case, k_case},
    {"ndan", k_case, k_case},
    {"ndən", k_case, k_case},
    {"da", k_case, k_case},
    {"də", k_case, k_case},
    {"nda", k_case, k_case},
    {"ndə", k_case, k_case},
    {"nın", k_case, k_case},
    {"nin", k_case, k_case},
    {"nun", k_case, k_case},
    {"nün", k_case, k_case},
    {"ın", k_case, k_case},
    {"in", k_case, k_case},
    {"un", k_case, k_case},
    {"ün", k_case, k_case},
    {"ya", k_case, k_case},
    {"yə", k_case, k_case},
    {"na", k_case, k_case},
    {"nə", k_case, k_case},
    {"nı", k_case, k_case},
    {"ni", k_case, k_case},
    {"nu", k_case, k_case},
    {"nü", k_case, k_case},
    {"a", k_case, k_case},
    {"ə", k_case, k_case},
    {"ı", k_case, k_case},
    {"i", k_case, k_case},
    {"u", k_case, k_case},
    {"ü", k_case, k_case},
    // instrumental ilə written on: Bakıyla, Əliyevlə
    {"yla", k_case, k_case},
    {"ylə", k_case, k_case},
    {"la", k_case, k_case},
    {"lə", k_case, k_case},
    // possessive, third person: Şurası, Müqaviləsi, Təşkilatı
    {"sı", k_possessive, k_possessive},
    {"si", k_possessive, k_possessive},
    {"su", k_possessive, k_possessive},
    {"sü", k_possessive, k_possessive},
    {"ı", k_possessive, k_possessive},
    {"i", k_possessive, k_possessive},
    {"u", k_possessive, k_possessive},
    {"ü", k_possessive, k_possessive},
    // with, without
    {"lı", k_derivation, k_derivation},
    {"li", k_derivation, k_derivation},
    {"lu", k_derivation, k_derivation},
    {"lü", k_derivation, k_derivation},
    {"sız", k_derivation, k_derivation},
    {"siz", k_derivation, k_derivation},
    {"suz", k_derivation, k_derivation},
    {"süz", k_derivation, k_derivation},
    // the predicative -dır
    {"dır", k_predicative, k_predicative},
    {"dir", k_predicative, k_predicative},
    {"dur", k_predicative, k_predicative},
    {"dür", k_predicative, k_predicative}};

bool ends_with_vowel(std::string_view word) {
    for (std::string_view vowel : {"a", "e", "i", "o", "u", "ı", "ə", "ö", "ü"})
        if (word.ends_with(vowel))
            return true;
    return false;
}

bool starts_with_vowel(std::string_view suffix) {
    for (std::string_view vowel : {"a", "e", "i", "o", "u", "ı", "ə", "ö", "ü"})
        if (suffix.starts_with(vowel))
            return true;
    return false;
}

// A suffix that begins with a vowel follows a consonant; one that begins with the buffer
// letters n or y, and the possessive -sı, follow a vowel (Bakı-nın, Bakı-ya, Şura-sı).
bool fits(std::string_view stem, std::string_view suffix) {
    if (starts_with_vowel(suffix))
        return !ends_with_vowel(stem);
    bool buffered = suffix.starts_with('n') || suffix.starts_with('y') || suffix == "sı" ||
                    suffix == "si" || suffix == "su" || suffix == "sü";
    return !buffered || ends_with_vowel(stem);
}

// One letter more than `rest` letters must stay: three, four for a one-vowel suffix.
bool leaves_enough(std::string_view stem, std::string_view suffix) {
    return parsers::utf8_length(stem) >= (parsers::utf8_length(suffix) == 1 ? 4U : 3U);
}

std::string final_form(std::string stem) {
    // A final q becomes ğ before a vowel (tərəfdaşlıq, tərəfdaşlığı): one form.
    if (stem.ends_with("ğ"))
        stem.replace(stem.size() - 2, 2, "q");
    return stem;
}

} // namespace

std::vector<std::string> azerbaijani_stems(std::string_view lower) {
    // A word ending in -nın may be X-nın or Xn-ın (Bakı-nın, Azərbaycan-ın): every reading is
    // kept, and a term matches a word when one of their readings is the same.
    struct Reading {
        std::string word;
        int below; // the next suffix stripped must come before this place
    };
    std::vector<std::string> found{final_form(std::string(lower))};
    std::vector<Reading> frontier{{std::string(lower), k_any}};
    for (int round = 0; round < 4 && !frontier.empty(); ++round) {
        std::vector<Reading> next;
        for (const Reading& reading : frontier) {
            for (const Suffix& suffix : k_suffixes) {
                std::string_view word = reading.word;
                if (suffix.outer >= reading.below || !word.ends_with(suffix.text))
                    continue;
                std::string_view stem = word.substr(0, word.size() - suffix.text.size());
                if (!leaves_enough(stem, suffix.text) || !fits(stem, suffix.text))
                    continue;
                std::string form = final_form(std::string(stem));
                if (std::find(found.begin(), found.end(), form) == found.end())
                    found.push_back(form);
                next.push_back({std::string(stem), suffix.inner});
            }
        }
        frontier = std::move(next);
    }
    return found;
}

} // namespace newsmon::tag

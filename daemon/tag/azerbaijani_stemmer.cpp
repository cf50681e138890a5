// Azerbaijani suffixes, stripped from the end of a lower-case word. Close to Turkish, not the
// same: Azerbaijani writes ə (-də, -dən, -lər, -yə), has no d/t alternation in the locative
// (Bakıda, Naxçıvanda), and writes suffixes after acronyms with a hyphen (NATO-nun, which the
// word splitter already cuts). Vowel harmony is not checked: every variant of a suffix is
// stripped, which is enough to bring a term and its inflected forms to one stem.
#include <algorithm>
#include <string_view>

#include "tag/stemmer.hpp"

namespace newsmon::tag {
namespace {

// Longest first, so that -ların is taken before -ın.
constexpr std::string_view k_suffixes[] = {
    // plural with a case or possessive
    "larından", "lərindən", "larında", "lərində", "larının", "lərinin", "larına", "lərinə", "ların",
    "lərin", "ları", "ləri", "lardan", "lərdən", "larda", "lərdə", "lara", "lərə",
    // the relative -kı after the locative: Bakıdakı, Azərbaycandakı
    "dakı", "dəki", "daki", "ndakı", "ndəki",
    // possessive + case (n-buffer): Şurasının, Təşkilatına, Qərargahında
    "ndan", "ndən", "nda", "ndə",
    // case
    "dan", "dən", "nın", "nin", "nun", "nün", "da", "də", "ın", "in", "un", "ün", "ya", "yə", "na",
    "nə", "nı", "ni", "nu", "nü",
    // possessive, third person after a vowel: Şurası, Müqaviləsi
    "sı", "si", "su", "sü",
    // with, without; the predicative -dır
    "lı", "li", "lu", "lü", "sız", "siz", "suz", "süz", "dır", "dir", "dur", "dür",
    // instrumental ilə written on: Bakıyla, Əliyevlə
    "yla", "ylə", "la", "lə",
    // plural
    "lar", "lər",
    // the relative -kı alone
    "kı", "ki",
    // one vowel: accusative, dative, possessive (only when four letters stay)
    "ı", "i", "u", "ü", "a", "ə"};

std::size_t letters(std::string_view text) {
    std::size_t count = 0;
    for (char c : text)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

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
    return letters(stem) >= (letters(suffix) == 1 ? 4U : 3U);
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
    std::vector<std::string> found{final_form(std::string(lower))};
    std::vector<std::string> frontier{std::string(lower)};
    for (int round = 0; round < 4 && !frontier.empty(); ++round) {
        std::vector<std::string> next;
        for (const std::string& word : frontier) {
            for (std::string_view suffix : k_suffixes) {
                if (!std::string_view(word).ends_with(suffix))
                    continue;
                std::string_view stem =
                    std::string_view(word).substr(0, word.size() - suffix.size());
                if (!leaves_enough(stem, suffix) || !fits(stem, suffix))
                    continue;
                std::string form = final_form(std::string(stem));
                if (std::find(found.begin(), found.end(), form) != found.end())
                    continue;
                found.push_back(form);
                next.emplace_back(stem);
            }
        }
        frontier = std::move(next);
    }
    return found;
}

} // namespace newsmon::tag

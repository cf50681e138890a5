#include "tag/language_detector.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio> // compact_lang_det.h uses FILE without including it
#include <unordered_map>
#include <unordered_set>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "newsmon/parsers/words.hpp"

namespace CLD2 {
const char* LanguageCode(Language lang); // lang_script.h, not installed as public
}

namespace newsmon::tag {
namespace {

constexpr std::size_t k_body_bytes = 4096;

// Function words and names that one language writes and the others do not, case-folded as
// parsers::fold_word folds them (ı is i).
constexpr std::array<std::string_view, 30> k_english = {
    "the", "and", "of",   "to",   "is",   "was",  "for",  "on",   "with",  "said",
    "by",  "at",  "that", "from", "as",   "will", "has",  "have", "are",   "after",
    "its", "it",  "an",   "says", "over", "be",   "this", "were", "which", "their"};
constexpr std::array<std::string_view, 40> k_turkish = {
    "ve",         "ile",           "için",      "olan",     "olarak",     "ama",      "ancak",
    "çok",        "göre",          "kadar",     "gibi",     "tarafindan", "hakkinda", "dedi",
    "etti",       "oldu",          "yapildi",   "değil",    "ise",        "bakan",    "bakü",
    "azerbaycan", "cumhurbaşkani", "türkiye",   "açikladi", "yil",        "yilinda",  "üzere",
    "şekilde",    "bakanlik",      "bakanliği", "toplanti", "ülke",       "ülkeler",  "işbirliği",
    "iş",         "birliği",       "karar",     "zirve",    "yeniden"};
constexpr std::array<std::string_view, 40> k_azerbaijani = {
    "və",        "ilə",          "üçün",   "olaraq",     "amma",      "lakin",     "çox",
    "görə",      "qədər",        "kimi",   "tərəfindən", "haqqinda",  "barədə",    "deyib",
    "edib",      "olub",         "edilib", "isə",        "baki",      "bakida",    "azərbaycan",
    "prezident", "nazir",        "ildə",   "üzrə",       "şəkildə",   "şimali",    "həm",
    "hər",       "ölkə",         "görüş",  "qəbul",      "bildirib",  "keçirilib", "başlayıb",
    "olunub",    "respublikasi", "xarici", "nümayəndə",  "əməkdaşliq"};

// Which of the three lists hold a word: every word of every article is looked up, once.
enum ListedIn : std::uint8_t { k_in_english = 1, k_in_turkish = 2, k_in_azerbaijani = 4 };
using WordLists = std::unordered_map<std::string_view, std::uint8_t>;

WordLists word_lists() {
    WordLists lists;
    for (std::string_view word : k_english)
        lists[word] |= k_in_english;
    for (std::string_view word : k_turkish)
        lists[word] |= k_in_turkish;
    for (std::string_view word : k_azerbaijani)
        lists[word] |= k_in_azerbaijani;
    return lists;
}

const WordLists k_word_lists = word_lists();

struct Evidence {
    int latin = 0, cyrillic = 0, az_cyrillic = 0, kazakh = 0;
    int schwa = 0, turkic_letters = 0;
    double english = 0, turkish = 0, azerbaijani = 0;
    double q_and_x = 0; // Azerbaijani words have q and x; counted only beside Turkic letters
};

// What Turkish writes after an apostrophe that ends a name: case and plural suffixes.
constexpr std::array<std::string_view, 36> k_turkish_suffixes = {
    "da",  "de",  "ta",  "te",  "dan", "den", "tan",  "ten",  "nin", "in",  "un",   "ün",
    "nun", "nün", "ya",  "ye",  "a",   "e",   "i",    "u",    "ü",   "yi",  "yu",   "yü",
    "la",  "le",  "yla", "yle", "ler", "lar", "daki", "deki", "nda", "nde", "ndan", "nden"};
const std::unordered_set<std::string_view> k_turkish_suffix_words(k_turkish_suffixes.begin(),
                                                                  k_turkish_suffixes.end());

bool is_cyrillic(char32_t c) {
    return c >= 0x0400 && c <= 0x04FF;
}

void count_letters(std::string_view word, Evidence& evidence) {
    std::u32string letters;
    for (std::size_t i = 0; i < word.size();) {
        auto lead = static_cast<unsigned char>(word[i]);
        std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        char32_t c = length == 1 ? lead : static_cast<char32_t>(lead & (0x7F >> length));
        for (std::size_t k = 1; k < length && i + k < word.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(word[i + k]) & 0x3F);
        i += length;
        if (is_cyrillic(c)) {
            ++evidence.cyrillic;
            evidence.az_cyrillic += c == 0x04D9 || c == 0x04D8 || c == 0x04B9 || c == 0x04B8 ||
                                    c == 0x0458 || c == 0x0408 || c == 0x049D || c == 0x049C;
            evidence.kazakh += c == 0x049B || c == 0x049A || c == 0x04A3 || c == 0x04A2 ||
                               c == 0x04B1 || c == 0x04B0 || c == 0x0456 || c == 0x0406;
        } else if (c < 0x2B0) {
            evidence.latin += c > 0x40;
            evidence.schwa += c == 0x0259 || c == 0x018F;
            evidence.turkic_letters += c == 0x015F || c == 0x015E || c == 0x00E7 || c == 0x00C7 ||
                                       c == 0x011F || c == 0x011E || c == 0x0131 || c == 0x0130 ||
                                       c == 0x00F6 || c == 0x00D6 || c == 0x00FC || c == 0x00DC;
        }
    }
}

void weigh_words(std::string_view text, Evidence& evidence) {
    parsers::WordList words;
    parsers::split_words(text, words);
    for (const auto& word : words.words) {
        std::string_view source =
            text.substr(word.source_begin, word.source_end - word.source_begin);
        count_letters(source, evidence);
        std::string folded = parsers::fold_word(source);
        if (auto listed = k_word_lists.find(folded); listed != k_word_lists.end()) {
            evidence.english += (listed->second & k_in_english) != 0;
            evidence.turkish += (listed->second & k_in_turkish) != 0;
            evidence.azerbaijani += (listed->second & k_in_azerbaijani) != 0;
        }
        // Turkish writes a suffix after a name with an apostrophe (Ankara'da, NATO'nun),
        // Azerbaijani with a hyphen or none (NATO-nun, Bakıda); Turkish has -yor, Azerbaijani
        // the converb -ib and the letters q and x in its own words.
        char before = word.source_begin > 0 ? text[word.source_begin - 1] : ' ';
        bool after_apostrophe = before == '\'' || (word.source_begin >= 3 &&
                                                   text.substr(word.source_begin - 3, 3) == "’");
        if (after_apostrophe && k_turkish_suffix_words.contains(folded))
            evidence.turkish += 1;
        // ... and after an acronym with a hyphen: NATO-nun, NATO-su.
        bool after_hyphen = before == '-' && word.source_begin >= 3 &&
                            std::isupper(static_cast<unsigned char>(text[word.source_begin - 2]));
        if (after_hyphen && folded.size() <= 4 && !source.empty() &&
            std::islower(static_cast<unsigned char>(source.front())))
            evidence.azerbaijani += 1;
        // Azerbaijani keeps -iya in names of countries and loanwords (Rusiya, missiya), Turkish
        // writes -ya (Rusya, misyon).
        if (folded.size() > 5 && std::string_view(folded).ends_with("iya"))
            evidence.azerbaijani += 0.5;
        if (folded.find("yor") != std::string::npos)
            evidence.turkish += 1;
        for (std::string_view ending : {"ib", "ub", "üb"})
            if (folded.size() > 4 && std::string_view(folded).ends_with(ending))
                evidence.azerbaijani += 1;
        if (folded.find('q') != std::string::npos || folded.find('x') != std::string::npos)
            evidence.q_and_x += 0.5;
    }
    evidence.azerbaijani += 2 * evidence.schwa;
    if (evidence.schwa + evidence.turkic_letters > 0)
        evidence.azerbaijani += evidence.q_and_x;
}

// CLD2's answer when it is sure, else "".
std::string cld2_language(std::string_view text) {
    bool reliable = false;
    CLD2::Language top[3];
    int percent[3];
    double score[3];
    int text_bytes = 0;
    CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language language =
        CLD2::ExtDetectLanguageSummary(text.data(), static_cast<int>(text.size()), true, &hints, 0,
                                       top, percent, score, nullptr, &text_bytes, &reliable);
    if (!reliable || language == CLD2::UNKNOWN_LANGUAGE)
        return {};
    return CLD2::LanguageCode(language);
}

std::string decide(const Evidence& evidence, std::string_view text) {
    if (evidence.cyrillic > evidence.latin) {
        if (evidence.az_cyrillic >= 2 && evidence.kazakh == 0)
            return "az";
        // Short text (a title) is Russian; longer text may be another Cyrillic language.
        if (text.size() >= 200)
            if (std::string other = cld2_language(text); !other.empty())
                return other;
        return "ru";
    }
    if (evidence.latin == 0)
        return text.size() >= 200 ? cld2_language(text) : "";
    bool turkic = evidence.schwa + evidence.turkic_letters > 0 ||
                  evidence.turkish + evidence.azerbaijani > evidence.english;
    if (turkic) {
        if (evidence.azerbaijani == evidence.turkish)
            return evidence.schwa > 0 ? "az" : "tr";
        return evidence.azerbaijani > evidence.turkish ? "az" : "tr";
    }
    // Latin letters and nothing Turkic: English, unless CLD2 is sure of another language.
    std::string other = cld2_language(text);
    return other.empty() || other == "tr" || other == "az" ? "en" : other;
}

} // namespace

std::string detect_language(std::string_view title, std::string_view body) {
    std::string text(title);
    text += '\n';
    std::size_t cut = std::min(body.size(), k_body_bytes);
    while (cut < body.size() && cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80)
        --cut; // not inside a character
    text += body.substr(0, cut);
    Evidence evidence;
    weigh_words(text, evidence);
    return decide(evidence, text);
}

ArticleLanguage article_language(std::string_view declared, std::string_view title,
                                 std::string_view body) {
    if (!declared.empty())
        return {std::string(declared), false};
    std::string detected = detect_language(title, body);
    return {detected, !detected.empty()};
}

} // namespace newsmon::tag

#include "stories/signature.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/words.hpp"
#include "stories/name_key.hpp"
#include "tag/stemmer.hpp"

namespace newsmon::stories {
namespace {

constexpr std::uint8_t k_format_version = 2;
constexpr std::size_t k_min_content_letters = 4;

// FNV-1a: a hash that never changes between builds, since signatures are stored.
std::uint32_t stable_hash(char kind, std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    auto mix = [&hash](unsigned char byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    mix(static_cast<unsigned char>(kind));
    for (char c : text)
        mix(static_cast<unsigned char>(c));
    return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

UChar32 first_code_point(std::string_view text) {
    std::int32_t offset = 0;
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(text.data()), offset,
            static_cast<std::int32_t>(text.size()), c);
    return c;
}

bool is_acronym(std::string_view word) {
    std::int32_t offset = 0;
    std::size_t letters = 0;
    while (offset < static_cast<std::int32_t>(word.size())) {
        UChar32 c = 0;
        U8_NEXT(reinterpret_cast<const std::uint8_t*>(word.data()), offset,
                static_cast<std::int32_t>(word.size()), c);
        if (u_isalpha(c) && !u_isupper(c))
            return false;
        if (u_isalpha(c))
            ++letters;
    }
    return letters >= 2;
}

bool all_digits(std::string_view word) {
    return !word.empty() &&
           std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The number that starts at word `i`, as written: "55,36", "55.36" and "1.500" keep their
// fraction or thousands (the separators differ by language, so both are read as a dot); the
// fraction's word is consumed. Empty for a number of one digit, too common to tell events
// apart.
std::string number_at(std::string_view text, const parsers::WordList& words, std::size_t& i) {
    auto digits_of = [&](std::size_t at) {
        std::string_view base = words.base_of(words.words[at]);
        return base.substr(std::min(base.find_first_not_of('0'), base.size() - 1));
    };
    std::string number(digits_of(i));
    const parsers::Word& word = words.words[i];
    if (i + 1 < words.words.size() && word.source_end < text.size() &&
        (text[word.source_end] == ',' || text[word.source_end] == '.') &&
        words.words[i + 1].source_begin == word.source_end + 1 &&
        all_digits(words.base_of(words.words[i + 1]))) {
        number.append(".").append(words.base_of(words.words[i + 1]));
        ++i;
    }
    return number.size() < 2 ? std::string() : number;
}

bool is_year(std::string_view number) {
    return number.size() == 4 && (number.starts_with("19") || number.starts_with("20"));
}

// Whether the word opens a sentence: capitalized there for grammar, not because it is a name.
bool opens_sentence(std::string_view text, std::size_t begin) {
    while (begin > 0) {
        char c = text[begin - 1];
        if (c == ' ' || c == '\t' || c == '"' || c == '(')
            --begin;
        else if (static_cast<unsigned char>(c) >= 0x80 && begin >= 2 &&
                 (text.substr(begin - 2, 2) == "«" || text.substr(begin - 2, 2) == "\xc2\xa0"))
            begin -= 2;
        else if (begin >= 3 && text.substr(begin - 3, 3) == "“")
            begin -= 3;
        else
            return c == '.' || c == '!' || c == '?' || c == '\n' || c == ':';
    }
    return true;
}

// A headline in title case capitalizes every word; its capitals say nothing about names.
bool title_cased(const parsers::WordList& words, std::string_view text, std::size_t title_end) {
    std::size_t total = 0, capitalized = 0;
    for (const auto& word : words.words) {
        if (word.source_begin >= title_end)
            break;
        ++total;
        if (u_isupper(first_code_point(text.substr(word.source_begin))))
            ++capitalized;
    }
    return total >= 3 && capitalized * 10 >= total * 7;
}

std::string shortest_stem(std::string_view word, tag::Language language, std::string_view base) {
    std::vector<std::string> stems = tag::stem_word(word, language);
    if (stems.empty())
        return std::string(base);
    return *std::min_element(stems.begin(), stems.end(),
                             [](const auto& a, const auto& b) { return a.size() < b.size(); });
}

// News repeats its words: the hash of each word as written, per language, is kept, so that
// stemming and romanizing run once per distinct word. Per thread, and emptied when it grows
// past a bound, so memory stays fixed however varied the text.
class WordHashes {
public:
    template <typename Compute>
    std::uint32_t get(char kind, tag::Language language, std::string_view word, Compute compute) {
        m_key.assign(1, kind).push_back(static_cast<char>(language));
        m_key.append(word);
        if (auto found = m_hashes.find(m_key); found != m_hashes.end())
            return found->second;
        if (m_hashes.size() >= k_max_entries)
            m_hashes.clear();
        std::uint32_t hash = compute();
        m_hashes.emplace(m_key, hash);
        return hash;
    }

private:
    static constexpr std::size_t k_max_entries = 200'000;
    std::unordered_map<std::string, std::uint32_t> m_hashes;
    std::string m_key;
};

WordHashes& word_hashes() {
    thread_local WordHashes hashes;
    return hashes;
}

// The hash of a name's sound key; 0 when the word has none.
std::uint32_t name_hash(std::string_view source, tag::Language language) {
    return word_hashes().get('n', language, source, [&] {
        std::string key = sound_key(latin_spelling(source, language), language);
        return key.empty() ? 0U : stable_hash('n', key);
    });
}

// The hash of a content word's stem, tagged with its language.
std::uint32_t word_hash(std::string_view source, std::string_view base, tag::Language language) {
    return word_hashes().get('w', language, source, [&] {
        std::string stem = shortest_stem(source, language, base);
        return stable_hash('w', std::string(tag::language_code(language)).append(":").append(stem));
    });
}

void sort_unique(std::vector<std::uint32_t>& values, std::size_t keep) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (values.size() > keep)
        values.resize(keep);
}

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    return value;
}

} // namespace

Signature make_signature(std::string_view title, std::string_view body, tag::Language language) {
    std::string text;
    text.reserve(title.size() + body.size() + 1);
    text.append(title).append("\n").append(body);
    parsers::WordList words;
    parsers::split_words(text, words);
    bool headline_capitals = title_cased(words, text, title.size());
    Signature signature;
    signature.language = language;
    for (std::size_t i = 0; i < words.words.size(); ++i) {
        const parsers::Word& word = words.words[i];
        std::string_view source =
            std::string_view(text).substr(word.source_begin, word.source_end - word.source_begin);
        std::string_view base = words.base_of(word);
        if (all_digits(base)) {
            std::string number = number_at(text, words, i);
            if (!number.empty())
                (is_year(number) ? signature.years : signature.numbers)
                    .push_back(stable_hash('#', number));
            continue;
        }
        bool acronym = is_acronym(source);
        bool in_title = word.source_begin < title.size();
        if (u_isupper(first_code_point(source)) &&
            (acronym ||
             (!(in_title && headline_capitals) && !opens_sentence(text, word.source_begin)))) {
            if (std::uint32_t key = name_hash(source, language); key != 0)
                signature.names.push_back(key);
        }
        if (parsers::utf8_length(base) >= k_min_content_letters)
            signature.words.push_back(word_hash(source, base, language));
    }
    sort_unique(signature.words, k_sketch_size);
    sort_unique(signature.names, k_max_names);
    sort_unique(signature.numbers, k_max_numbers);
    sort_unique(signature.years, k_max_years);
    return signature;
}

// Format 2 added years; a format 1 signature (stored before) reads with none.
constexpr std::size_t k_parts_of_format[] = {0, 3, 4};

std::string to_bytes(const Signature& signature) {
    std::string out;
    out.push_back(static_cast<char>(k_format_version));
    out.push_back(static_cast<char>(signature.language));
    const std::vector<std::uint32_t>* parts[] = {&signature.words, &signature.names,
                                                 &signature.numbers, &signature.years};
    for (const auto* part : parts)
        out.push_back(static_cast<char>(part->size()));
    for (const auto* part : parts)
        for (std::uint32_t value : *part)
            put_u32(out, value);
    return out;
}

Signature from_bytes(std::string_view bytes) {
    Signature signature;
    if (bytes.size() < 2)
        return signature;
    auto version = static_cast<std::uint8_t>(bytes[0]);
    auto language = static_cast<std::uint8_t>(bytes[1]);
    if (version < 1 || version > k_format_version ||
        language > static_cast<std::uint8_t>(tag::Language::az))
        return signature;
    std::size_t parts = k_parts_of_format[version];
    if (bytes.size() < 2 + parts)
        return signature;
    std::size_t total = 0;
    for (std::size_t part = 0; part < parts; ++part)
        total += static_cast<unsigned char>(bytes[2 + part]);
    if (bytes.size() != 2 + parts + 4 * total)
        return signature;
    signature.language = static_cast<tag::Language>(language);
    std::vector<std::uint32_t>* into[] = {&signature.words, &signature.names, &signature.numbers,
                                          &signature.years};
    std::size_t at = 2 + parts;
    for (std::size_t part = 0; part < parts; ++part)
        for (std::size_t i = 0; i < static_cast<unsigned char>(bytes[2 + part]); ++i, at += 4)
            into[part]->push_back(get_u32(bytes, at));
    return signature;
}

} // namespace newsmon::stories

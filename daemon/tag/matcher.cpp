#include "tag/matcher.hpp"

#include <algorithm>
#include <atomic>
#include <map>

#include "tag/stemmer.hpp"

namespace newsmon::tag {

namespace {

constexpr std::size_t k_stem_start_bits = 1U << 16;

std::uint32_t stem_start_bit(Language language, std::string_view start) {
    std::uint64_t packed = static_cast<std::uint64_t>(language) << 40 | std::uint64_t{start.size()}
                                                                            << 32;
    for (std::size_t i = 0; i < start.size(); ++i) // at most four bytes
        packed |= std::uint64_t{static_cast<unsigned char>(start[i])} << (8 * i);
    return static_cast<std::uint32_t>((packed * 0x9E3779B97F4A7C15ULL) >> 48);
}

// How many bytes at the end of a stem may differ from the word it came from. Snowball's English
// turns y into i (allies, ally -> alli), adds e (-ate, -ize, -ble) and keeps bl of -bility;
// its Turkish turns a final b/c/d/ğ into p/ç/t/k and may add a vowel. Russian and Azerbaijani
// stems are the start of the word.
std::size_t stem_slack(Language language, std::string_view base) {
    if (base.empty())
        return 0;
    char last = base.back();
    if (language == Language::en)
        return last == 'e' ? 2 : last == 'i' || last == 'l' ? 1 : 0;
    if (language == Language::tr)
        return std::string_view("ptckaeiou").find(last) != std::string_view::npos ? 1 : 0;
    return 0;
}

bool is_cyrillic_lead(unsigned char byte) {
    return byte >= 0xD0 && byte <= 0xD3;
}

// The languages a term word is stemmed in: by its letters.
std::vector<Language> term_word_languages(std::string_view word) {
    if (parsers::has_az_cyrillic(word))
        return {Language::az};
    if (std::any_of(word.begin(), word.end(),
                    [](char c) { return is_cyrillic_lead(static_cast<unsigned char>(c)); }))
        return {Language::ru};
    return {Language::en, Language::tr, Language::az};
}

// The stemmer a word of the text is read with.
Language text_word_language(Language text, std::string_view source_word, std::string_view base) {
    if (is_cyrillic_lead(static_cast<unsigned char>(source_word.front())))
        return static_cast<unsigned char>(base.front()) < 0x80 ? Language::az : Language::ru;
    return text == Language::ru ? Language::en : text;
}

// What every word with this stem (in base form) begins with: all of the stem but the last
// stem_slack bytes, and at least its first three (fewer for a shorter stem).
std::string stem_beginning(Language language, std::string_view base) {
    std::size_t sure = base.size() - std::min(base.size(), stem_slack(language, base));
    return std::string(base.substr(0, std::min(std::clamp<std::size_t>(sure, 3, 4), base.size())));
}

std::atomic<std::uint64_t> next_matcher_serial{0};

std::string stem_key(Language language, std::string_view base) {
    std::string key(1, static_cast<char>(language));
    key += base;
    return key;
}

} // namespace

Matcher::Matcher(std::vector<Term> patterns)
    : m_patterns(std::move(patterns)), m_serial(next_matcher_serial.fetch_add(1) + 1) {
    build();
    build_stems();
}

void Matcher::build_stems() {
    for (std::uint32_t p = 0; p < m_patterns.size(); ++p) {
        const Term& term = m_patterns[p];
        if (term.case_sensitive) // the letters exactly as written: never stemmed
            continue;
        for (std::uint32_t position = 0; position < term.words.size(); ++position) {
            const TermWord& word = term.words[position];
            if (word.prefix) // stem* already takes any ending
                continue;
            for (Language language : term_word_languages(word.original))
                for (const std::string& stem : term_stems(word.original, language))
                    add_stem(language, stem, {p, position});
        }
    }
}

void Matcher::add_stem(Language language, const std::string& stem, WordRef ref) {
    std::string base = parsers::base_word(stem);
    auto& refs = m_stems[stem_key(language, base)];
    std::string beginning = stem_beginning(language, base);
    if (std::none_of(refs.begin(), refs.end(), [&](const StemRef& r) {
            return r.ref.pattern == ref.pattern && r.ref.position == ref.position;
        }))
        refs.push_back({ref, parsers::fold_word(stem), beginning});
    if (m_stem_starts.empty())
        m_stem_starts.assign(k_stem_start_bits / 64, 0);
    std::uint32_t bit = stem_start_bit(language, beginning);
    m_stem_starts[bit / 64] |= std::uint64_t{1} << (bit % 64);
    m_stem_start_lengths |= 1U << beginning.size();
}

bool Matcher::may_have_stem(Language language, std::string_view base) const {
    for (std::size_t length = 4; length >= 3; --length) {
        if (length > base.size() || !(m_stem_start_lengths & (1U << length)))
            continue;
        std::uint32_t bit = stem_start_bit(language, base.substr(0, length));
        if (m_stem_starts[bit / 64] & (std::uint64_t{1} << (bit % 64)))
            return true;
    }
    return false;
}

void Matcher::add_stem_candidates(Language language, std::string_view source_word,
                                  std::string_view base, std::vector<WordRef>& candidates) const {
    // Words recur (a story names its subject again and again): what a word's stems matched is
    // kept per thread, in a small table by the word's bytes, for this matcher.
    struct Remembered {
        std::uint64_t matcher = 0; // m_serial; 0 = empty
        Language language = Language::none;
        std::string word;
        std::vector<WordRef> matched;
    };
    thread_local std::vector<Remembered> remembered(1024);
    std::size_t slot = std::hash<std::string_view>{}(source_word) % remembered.size();
    Remembered& entry = remembered[slot];
    if (entry.matcher != m_serial || entry.language != language || entry.word != source_word) {
        entry.matcher = m_serial;
        entry.language = language;
        entry.word.assign(source_word);
        entry.matched.clear();
        for (const std::string& stem : stem_word(source_word, language)) {
            auto found = m_stems.find(stem_key(language, parsers::base_word(stem)));
            if (found == m_stems.end())
                continue;
            std::string folded = parsers::fold_word(stem);
            // The word begins as the stem does (what the bit table let through is checked):
            // `newsmon search` finds candidates by these beginnings.
            for (const StemRef& stem_ref : found->second)
                if ((m_patterns[stem_ref.ref.pattern].ignore_diacritics ||
                     stem_ref.folded == folded) &&
                    base.starts_with(stem_ref.beginning))
                    entry.matched.push_back(stem_ref.ref);
        }
    }
    candidates.insert(candidates.end(), entry.matched.begin(), entry.matched.end());
}

void Matcher::build() {
    // Built as a map-based trie first, then laid out flat: children of a node are contiguous
    // and sorted, the root's children are a direct table.
    struct Building {
        std::map<unsigned char, std::size_t> children;
        std::vector<WordRef> exact, prefix;
    };
    std::vector<Building> nodes(1);
    for (std::uint32_t p = 0; p < m_patterns.size(); ++p) {
        const auto& words = m_patterns[p].words;
        for (std::uint32_t position = 0; position < words.size(); ++position) {
            std::size_t node = 0;
            for (char c : words[position].base) {
                auto byte = static_cast<unsigned char>(c);
                auto found = nodes[node].children.find(byte);
                if (found == nodes[node].children.end()) {
                    nodes.emplace_back();
                    found = nodes[node].children.emplace(byte, nodes.size() - 1).first;
                }
                node = found->second;
            }
            (words[position].prefix ? nodes[node].prefix : nodes[node].exact)
                .push_back({p, position});
        }
    }
    m_nodes.resize(nodes.size());
    m_edges.clear();
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        m_nodes[n].first_child = static_cast<std::uint32_t>(m_edges.size());
        m_nodes[n].child_count = static_cast<std::uint32_t>(nodes[n].children.size());
        for (const auto& [byte, target] : nodes[n].children)
            m_edges.push_back({byte, static_cast<std::uint32_t>(target)});
        m_nodes[n].exact = std::move(nodes[n].exact);
        m_nodes[n].prefix = std::move(nodes[n].prefix);
    }
    m_root_children.fill(0);
    for (const auto& [byte, target] : nodes[0].children)
        m_root_children[byte] = static_cast<std::uint32_t>(target);
}

std::uint32_t Matcher::child(std::uint32_t node, unsigned char byte) const {
    if (node == 0)
        return m_root_children[byte];
    const Node& parent = m_nodes[node];
    for (std::uint32_t e = parent.first_child; e < parent.first_child + parent.child_count; ++e)
        if (m_edges[e].byte == byte)
            return m_edges[e].node;
    return 0;
}

bool Matcher::verify(const WordRef& ref, std::string_view source_word) const {
    const Term& term = m_patterns[ref.pattern];
    const TermWord& word = term.words[ref.position];
    if (term.case_sensitive) // the letters exactly as written
        return word.prefix ? source_word.starts_with(word.original) : source_word == word.original;
    if (term.ignore_diacritics)
        return true; // the trie already compared base forms
    // The trie compared base forms; an ASCII word against an ASCII term has no diacritics
    // that could differ.
    bool ascii_source = std::all_of(source_word.begin(), source_word.end(),
                                    [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii_source && word.plain_ascii)
        return true;
    std::string folded = parsers::fold_word(source_word);
    return word.prefix ? std::string_view(folded).starts_with(word.folded) : folded == word.folded;
}

void Matcher::find(std::string_view source, const parsers::WordList& words,
                   std::vector<MatchSpan>& out, Language language) const {
    struct Active {
        std::uint32_t pattern;
        std::uint32_t next; // the pattern word expected next
        std::uint32_t start;
    };
    thread_local std::vector<Active> active, advanced;
    thread_local std::vector<WordRef> candidates, accepted;
    active.clear();
    for (std::uint32_t w = 0; w < words.words.size(); ++w) {
        const parsers::Word& word = words.words[w];
        std::string_view base = words.base_of(word);
        candidates.clear();
        accepted.clear();
        std::uint32_t node = 0;
        for (char c : base) {
            node = child(node, static_cast<unsigned char>(c));
            if (node == 0)
                break;
            const auto& stems = m_nodes[node].prefix;
            candidates.insert(candidates.end(), stems.begin(), stems.end());
        }
        if (node != 0) {
            const auto& exact = m_nodes[node].exact;
            candidates.insert(candidates.end(), exact.begin(), exact.end());
        }
        std::string_view source_word =
            source.substr(word.source_begin, word.source_end - word.source_begin);
        for (const WordRef& ref : candidates)
            if (verify(ref, source_word))
                accepted.push_back(ref);
        // A stem has four letters at least: shorter words need no stemming.
        if (!m_stem_starts.empty() && base.size() >= k_min_stem_letters) {
            Language word_language = text_word_language(language, source_word, base);
            if (word_language != Language::none && may_have_stem(word_language, base))
                add_stem_candidates(word_language, source_word, base, accepted);
        }
        advanced.clear();
        for (std::size_t i = 0; i < accepted.size(); ++i) {
            const WordRef& ref = accepted[i];
            bool repeated = std::any_of(
                accepted.begin(), accepted.begin() + static_cast<std::ptrdiff_t>(i),
                [&](const WordRef& earlier) {
                    return earlier.pattern == ref.pattern && earlier.position == ref.position;
                });
            if (repeated) // the word and its stem both matched
                continue;
            auto length = static_cast<std::uint32_t>(m_patterns[ref.pattern].words.size());
            std::uint32_t start = w;
            if (ref.position > 0) {
                auto found = std::find_if(active.begin(), active.end(), [&](const Active& a) {
                    return a.pattern == ref.pattern && a.next == ref.position;
                });
                if (found == active.end())
                    continue;
                start = found->start;
            }
            if (ref.position + 1 == length)
                out.push_back({ref.pattern, start, w});
            else
                advanced.push_back({ref.pattern, ref.position + 1, start});
        }
        active.swap(advanced);
    }
}

std::vector<std::string> stem_beginnings(const Term& term, std::size_t position) {
    std::vector<std::string> beginnings;
    const TermWord& word = term.words[position];
    if (term.case_sensitive || word.prefix)
        return beginnings;
    for (Language language : term_word_languages(word.original))
        for (const std::string& stem : term_stems(word.original, language))
            beginnings.push_back(stem_beginning(language, parsers::base_word(stem)));
    return beginnings;
}

} // namespace newsmon::tag

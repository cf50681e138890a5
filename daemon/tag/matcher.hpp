// One compiled matcher for every term of every topic (and every alert word): a trie over the
// terms' words in base form, walked once per word of the text. Only words that reach a term
// are checked further (case, diacritics), so the cost per word hardly grows with the number
// of terms. Besides, each plain term word is stemmed in the languages of its script, and a
// word of the text whose stem (in the text's language) is the same matches it too: only words
// that begin as some stem begins (a bit table, no stemming) are stemmed at all.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "newsmon/parsers/words.hpp"
#include "tag/language.hpp"
#include "tag/term.hpp"

namespace newsmon::tag {

struct MatchSpan {
    std::uint32_t pattern = 0;    // index into the patterns the matcher was built from
    std::uint32_t first_word = 0; // word indexes in the WordList, inclusive
    std::uint32_t last_word = 0;
};

class Matcher {
public:
    explicit Matcher(std::vector<Term> patterns);

    // Appends every occurrence of every pattern in `words` (split from `source`), in order of
    // where they end. `language` is the text's: its stemmer reads the words in Latin letters;
    // Cyrillic words are read as Russian whatever the language (Azerbaijani Cyrillic as
    // Azerbaijani). With Language::none only Cyrillic words are stemmed.
    void find(std::string_view source, const parsers::WordList& words, std::vector<MatchSpan>& out,
              Language language = Language::none) const;

    [[nodiscard]] const Term& pattern(std::size_t index) const { return m_patterns[index]; }
    [[nodiscard]] std::size_t size() const { return m_patterns.size(); }

private:
    struct WordRef {
        std::uint32_t pattern;
        std::uint32_t position; // which word of the pattern
    };
    struct Node {
        std::uint32_t first_child = 0; // into m_edges
        std::uint32_t child_count = 0;
        std::vector<WordRef> exact;  // words that end here
        std::vector<WordRef> prefix; // stems that end here
    };
    struct Edge {
        unsigned char byte;
        std::uint32_t node;
    };

    // A term word's stem in one language, kept under its base form.
    struct StemRef {
        WordRef ref;
        std::string folded;    // the stem case-folded, diacritics kept
        std::string beginning; // what a word with this stem begins with, in base form
    };

    void build();
    void build_stems();
    void add_stem(Language language, const std::string& stem, WordRef ref);
    [[nodiscard]] std::uint32_t child(std::uint32_t node, unsigned char byte) const;
    [[nodiscard]] bool verify(const WordRef& ref, std::string_view source_word) const;
    [[nodiscard]] bool may_have_stem(Language language, std::string_view base) const;
    void add_stem_candidates(Language language, std::string_view source_word, std::string_view base,
                             std::vector<WordRef>& candidates) const;

    std::vector<Term> m_patterns;
    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    std::array<std::uint32_t, 256> m_root_children{}; // 0 = none (node 0 is the root)
    // Stems by language (first byte) and base form.
    std::unordered_map<std::string, std::vector<StemRef>> m_stems;
    // One bit per (language, first 2, 3 or 4 bytes of a stem's base form): a word whose start
    // sets no bit has no stem of a term, and is not stemmed.
    std::vector<std::uint64_t> m_stem_starts;
    std::uint32_t m_stem_start_lengths = 0; // bit n: some stem is known by its first n bytes
    // Names this matcher in the per-thread stem cache. Not its address: a matcher rebuilt on a
    // reload may be allocated where the previous one lived, and must not read its results.
    std::uint64_t m_serial;
};

// What a word of the text that matches `term`'s word at `position` through a stem begins
// with, in base form: one beginning per stem (the matcher checks it). None when the word is
// never stemmed (stem*, exact-case terms). A word that matches otherwise has the term word's
// base form (or begins with it, for stem*).
[[nodiscard]] std::vector<std::string> stem_beginnings(const Term& term, std::size_t position);

} // namespace newsmon::tag

// One compiled matcher for every term of every topic (and every alert word): a trie over the
// terms' words in base form, walked once per word of the text. Only words that reach a term
// are checked further (case, diacritics), so the cost per word hardly grows with the number
// of terms.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "newsmon/parsers/words.hpp"
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
    // where they end.
    void find(std::string_view source, const parsers::WordList& words,
              std::vector<MatchSpan>& out) const;

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

    void build();
    [[nodiscard]] std::uint32_t child(std::uint32_t node, unsigned char byte) const;
    [[nodiscard]] bool verify(const WordRef& ref, std::string_view source_word) const;

    std::vector<Term> m_patterns;
    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    std::array<std::uint32_t, 256> m_root_children{}; // 0 = none (node 0 is the root)
};

} // namespace newsmon::tag

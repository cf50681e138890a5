#include "tag/matcher.hpp"

#include <algorithm>
#include <map>

namespace newsmon::tag {

Matcher::Matcher(std::vector<Term> patterns) : m_patterns(std::move(patterns)) {
    build();
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
                   std::vector<MatchSpan>& out) const {
    struct Active {
        std::uint32_t pattern;
        std::uint32_t next; // the pattern word expected next
        std::uint32_t start;
    };
    std::vector<Active> active, advanced;
    std::vector<WordRef> candidates;
    for (std::uint32_t w = 0; w < words.words.size(); ++w) {
        const parsers::Word& word = words.words[w];
        std::string_view base = words.base_of(word);
        candidates.clear();
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
        advanced.clear();
        if (!candidates.empty()) {
            std::string_view source_word =
                source.substr(word.source_begin, word.source_end - word.source_begin);
            for (const WordRef& ref : candidates) {
                if (!verify(ref, source_word))
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
        }
        active.swap(advanced);
    }
}

} // namespace newsmon::tag

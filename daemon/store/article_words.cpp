#include "store/article_words.hpp"

#include <algorithm>
#include <unordered_set>

#include "newsmon/parsers/words.hpp"
#include "store/binary_arrays.hpp"
#include "tag/matcher.hpp"

namespace newsmon::store {
namespace {

// Lexemes are cut here, in both the vector and the query, well under PostgreSQL's 2 KB.
constexpr std::size_t k_longest_lexeme = 255;
constexpr std::size_t k_largest_vector = 900'000; // PostgreSQL refuses 1 MB

// The first k_longest_lexeme bytes, not splitting a character.
std::string_view cut(std::string_view word) {
    if (word.size() <= k_longest_lexeme)
        return word;
    std::size_t end = k_longest_lexeme;
    while (end > 0 && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80)
        --end;
    return word.substr(0, end);
}

void append_quoted(std::string_view lexeme, std::string& out) {
    out += '\'';
    for (char c : lexeme) {
        if (c == '\'' || c == '\\')
            out += c;
        out += c;
    }
    out += '\'';
}

// One lexeme of the query: the word itself, or any word beginning with it.
std::string lexeme(std::string_view base, bool prefix) {
    std::string out;
    std::string_view kept = cut(base);
    append_quoted(kept, out);
    if (prefix || kept.size() < base.size())
        out += ":*";
    return out;
}

// What a term word of the text can be: its base form (or a word beginning with it) or a word
// beginning as one of its stems does.
std::string word_alternatives(const tag::Term& term, std::size_t position) {
    const tag::TermWord& word = term.words[position];
    std::vector<std::string> alternatives{lexeme(word.base, word.prefix)};
    for (const std::string& beginning : tag::stem_beginnings(term, position))
        if (!beginning.empty())
            alternatives.push_back(lexeme(beginning, true));
    std::sort(alternatives.begin(), alternatives.end());
    alternatives.erase(std::unique(alternatives.begin(), alternatives.end()), alternatives.end());
    if (alternatives.size() == 1)
        return alternatives.front();
    std::string out = "(";
    for (std::size_t i = 0; i < alternatives.size(); ++i)
        out += (i == 0 ? "" : " | ") + alternatives[i];
    return out + ")";
}

std::string joined(const std::vector<std::string>& parts, std::string_view op) {
    if (parts.size() == 1)
        return parts.front();
    std::string out = "(";
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i == 0 ? "" : std::string(op)) + parts[i];
    return out + ")";
}

// The node's tsquery; nullopt when the node can hold without any word (depth is bounded by
// the parser's limit on nesting).
std::optional<std::string> node_tsquery(const rules::Query& query, std::uint32_t index) {
    const rules::Node& node = query.nodes[index];
    std::vector<std::string> parts;
    switch (node.kind) {
    case rules::Node::Kind::atom: {
        const rules::Atom& atom = query.atoms[node.atom];
        if (atom.field != rules::Field::text && atom.field != rules::Field::title)
            return std::nullopt;
        for (std::size_t w = 0; w < atom.term.words.size(); ++w)
            parts.push_back(word_alternatives(atom.term, w));
        return joined(parts, " & "); // a phrase has all its words
    }
    case rules::Node::Kind::negate:
        return std::nullopt;
    case rules::Node::Kind::all:
    case rules::Node::Kind::near: // both sides occur
        for (std::uint32_t child : node.children)
            if (auto part = node_tsquery(query, child))
                parts.push_back(std::move(*part));
        if (parts.empty())
            return std::nullopt;
        return joined(parts, " & ");
    case rules::Node::Kind::any:
        for (std::uint32_t child : node.children) {
            auto part = node_tsquery(query, child);
            if (!part)
                return std::nullopt;
            parts.push_back(std::move(*part));
        }
        return joined(parts, " | ");
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> words_tsvector(const std::vector<std::string_view>& texts,
                                          TsVectorForm form) {
    parsers::WordList words;
    for (std::string_view text : texts)
        parsers::split_words(text, words);
    // a text repeats its words: the distinct ones are fewer to sort
    std::unordered_set<std::string_view> seen;
    seen.reserve(words.words.size());
    std::vector<std::string_view> distinct;
    for (const auto& word : words.words)
        if (word.base_end > word.base_begin)
            if (std::string_view base = cut(words.base_of(word)); seen.insert(base).second)
                distinct.push_back(base);
    std::sort(distinct.begin(), distinct.end());
    if (form == TsVectorForm::binary) {
        binary::TsVectorBuilder vector;
        for (std::string_view word : distinct) {
            vector.add_lexeme(word);
            if (vector.bytes() > k_largest_vector)
                return std::nullopt;
        }
        return vector.finish();
    }
    std::string out;
    out.reserve(words.base.size() + 3 * distinct.size());
    for (std::string_view word : distinct) {
        if (!out.empty())
            out += ' ';
        append_quoted(word, out);
        if (out.size() > k_largest_vector)
            return std::nullopt;
    }
    return out;
}

std::optional<std::string> candidate_tsquery(const rules::Query& query) {
    return node_tsquery(query, query.root);
}

} // namespace newsmon::store

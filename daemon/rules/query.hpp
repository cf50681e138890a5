// The alert query language: terms, "phrases", stem* wildcards, AND, OR, NOT, implicit AND,
// parentheses, A NEAR/n B, and the fields title:, topic:, feed:, lang:. Terms use the tagger's
// term syntax and word rules, so a query and a topic find the same words.
//
//   query   := or EOF
//   or      := and ( "OR" and )*
//   and     := unary ( ["AND"] unary )*
//   unary   := "NOT" unary | near
//   near    := primary ( "NEAR/" n primary )*        each side: a term, a phrase, or a
//                                                    parenthesized OR of them
//   primary := "(" or ")" | field ":" value | term | phrase
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "tag/term.hpp"

namespace newsmon::rules {

// Where a leaf looks. `text` is title, summary and full text; the others are the article's
// metadata.
enum class Field { text, title, topic, feed, lang };

// A leaf of the query: a term or phrase to find, or a metadata value to compare.
struct Atom {
    Field field = Field::text;
    std::string
        written;       // as the query spells it, for matched_terms: NATO, "NATO summit", topic:nato
    tag::Term term;    // text and title
    std::string value; // topic, feed, lang: compared in folded form
};

struct Node {
    enum class Kind { atom, all, any, negate, near };
    Kind kind = Kind::atom;
    std::uint32_t atom = 0;              // Kind::atom
    std::vector<std::uint32_t> children; // all, any: two or more; negate: one; near: two sides,
                                         // each a text atom or an `any` of them
    std::uint32_t distance = 0;          // near: at most this many words between the two
};

struct Query {
    std::vector<Atom> atoms;
    std::vector<Node> nodes;
    std::uint32_t root = 0;
};

struct QueryError {
    int line = 1;
    int column = 1; // in characters, from 1
    std::string message;

    // "query:1:14: expected a term after AND"
    [[nodiscard]] std::string to_string() const;
};

// A query that cannot be read is an error naming its place; when it also holds an operator's
// word in lower case ("nato and"), the error says operators are written in capitals.
[[nodiscard]] tl::expected<Query, QueryError> parse_query(std::string_view text);

// What a query that reads may not mean as written: each "and", "or", "not" or "near/n" not in
// capitals, which is a word to look for ("nato and baku" needs three words).
[[nodiscard]] std::vector<QueryError> query_warnings(std::string_view text);

// The folded form metadata values are compared in: words in base form, one space apart
// ("Today.Az" -> "today az").
[[nodiscard]] std::string fold_value(std::string_view value);

} // namespace newsmon::rules

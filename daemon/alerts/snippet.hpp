// The words around an alert's first match, with the matched words marked, for the webhook's
// `snippet` and the e-mail: cut at word boundaries, never inside a UTF-8 character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace newsmon::alerts {

// At most this many characters (code points), the "…" at either end included.
inline constexpr std::size_t k_snippet_chars = 240;

// A run of the snippet's text: matched words, or the text between them.
struct SnippetPart {
    std::string text;
    bool match = false;
};

// Empty when the article has no text at all.
using Snippet = std::vector<SnippetPart>;

struct SnippetSource {
    std::string_view title;
    std::string_view body;                         // summary and full text
    std::string_view language;                     // the article's, for the stemmer
    std::string_view query;                        // the rule's
    const std::vector<std::string>& matched_terms; // the query's leaves that held, as written
};

// Around the first match of a matched term in the body, else in the title; the body's opening
// (else the title) when no term of the text matched, as for a rule on topic: alone.
[[nodiscard]] Snippet make_snippet(const SnippetSource& source);

// The snippet's text, with nothing marked.
[[nodiscard]] std::string snippet_text(const Snippet& snippet);

// The number of characters (code points) of UTF-8 text.
[[nodiscard]] std::size_t count_chars(std::string_view text);

} // namespace newsmon::alerts

#include "web/highlight.hpp"

#include <algorithm>

#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/words.hpp"

namespace newsmon::web {
namespace {

struct MarkedWord {
    std::string base;
    bool prefix = false;
};

// Every word of every term, in base form; the syntax's marks are not words.
std::vector<MarkedWord> words_of_terms(const std::vector<std::string>& terms) {
    std::vector<MarkedWord> marked;
    parsers::WordList words;
    for (std::string_view term : terms) {
        if (term.starts_with("weak:"))
            term.remove_prefix(5);
        while (!term.empty() && (term.back() == '!' || term.back() == '~'))
            term.remove_suffix(1);
        bool prefix = term.ends_with('*');
        words.clear();
        parsers::split_words(term, words);
        for (std::size_t i = 0; i < words.words.size(); ++i)
            marked.push_back({std::string(words.base_of(words.words[i])),
                              prefix && i + 1 == words.words.size()});
    }
    return marked;
}

bool is_marked(std::string_view base, const std::vector<MarkedWord>& marked) {
    return std::any_of(marked.begin(), marked.end(), [&](const MarkedWord& word) {
        return word.prefix ? base.starts_with(word.base) : base == word.base;
    });
}

} // namespace

std::string highlighted_snippet(std::string_view text, const std::vector<std::string>& terms,
                                std::size_t max_words) {
    parsers::WordList words;
    parsers::split_words(text, words);
    if (words.words.empty() || max_words == 0)
        return parsers::escape_html(text.substr(0, std::min<std::size_t>(text.size(), 300)));
    auto marked_words = words_of_terms(terms);
    std::vector<bool> marked(words.words.size(), false);
    std::size_t first_mark = words.words.size();
    for (std::size_t i = 0; i < words.words.size(); ++i) {
        marked[i] = is_marked(words.base_of(words.words[i]), marked_words);
        if (marked[i] && first_mark == words.words.size())
            first_mark = i;
    }
    // A few words of context before the first mark; from the start when nothing is marked.
    std::size_t begin = first_mark == words.words.size() || first_mark < 8 ? 0 : first_mark - 8;
    std::size_t end = std::min(words.words.size(), begin + max_words);
    std::string html = begin > 0 ? "… " : "";
    std::size_t at = begin == 0 ? 0 : words.words[begin].source_begin;
    for (std::size_t i = begin; i < end; ++i) {
        const auto& word = words.words[i];
        html += parsers::escape_html(text.substr(at, word.source_begin - at));
        std::string_view source =
            text.substr(word.source_begin, word.source_end - word.source_begin);
        if (marked[i])
            html += "<mark>" + parsers::escape_html(source) + "</mark>";
        else
            html += parsers::escape_html(source);
        at = word.source_end;
    }
    if (end < words.words.size())
        html += " …";
    else
        html += parsers::escape_html(text.substr(at));
    return html;
}

} // namespace newsmon::web

#include "tag/term.hpp"

#include <algorithm>

#include "newsmon/parsers/words.hpp"

namespace newsmon::tag {

tl::expected<Term, std::string> parse_term(std::string_view text) {
    Term term;
    term.text = std::string(text);
    std::string_view body = text;
    while (!body.empty() && (body.front() == ' ' || body.front() == '\t'))
        body.remove_prefix(1);
    if (body.starts_with("weak:")) {
        term.weak = true;
        body.remove_prefix(5);
    }
    while (!body.empty() && (body.back() == '!' || body.back() == '~' || body.back() == ' ')) {
        term.case_sensitive |= body.back() == '!';
        term.ignore_diacritics |= body.back() == '~';
        body.remove_suffix(1);
    }
    if (body.size() >= 2 && body.front() == '"' && body.back() == '"')
        body = body.substr(1, body.size() - 2);
    parsers::WordList words;
    parsers::split_words(body, words);
    if (words.words.empty())
        return tl::unexpected("term \"" + term.text + "\" has no letters or digits");
    for (const auto& word : words.words) {
        TermWord term_word;
        term_word.original =
            std::string(body.substr(word.source_begin, word.source_end - word.source_begin));
        term_word.folded = parsers::fold_word(term_word.original);
        term_word.base = std::string(words.base_of(word));
        term_word.prefix = word.source_end < body.size() && body[word.source_end] == '*';
        term_word.plain_ascii =
            std::all_of(term_word.original.begin(), term_word.original.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        term.words.push_back(std::move(term_word));
    }
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '*')
            continue;
        bool ends_word = std::any_of(words.words.begin(), words.words.end(),
                                     [i](const auto& word) { return word.source_end == i; });
        bool followed_by_letter =
            std::any_of(words.words.begin(), words.words.end(),
                        [i](const auto& word) { return word.source_begin == i + 1; });
        if (!ends_word || followed_by_letter)
            return tl::unexpected("term \"" + term.text + "\": * may only end a word (\"stem*\")");
    }
    return term;
}

} // namespace newsmon::tag

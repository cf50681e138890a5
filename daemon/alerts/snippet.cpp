#include "alerts/snippet.hpp"

#include <algorithm>

#include "newsmon/parsers/words.hpp"
#include "rules/query.hpp"
#include "tag/language.hpp"
#include "tag/matcher.hpp"

namespace newsmon::alerts {
namespace {

constexpr std::string_view k_ellipsis = "…";
// Room for the words: the snippet less an ellipsis at either end.
constexpr std::size_t k_words_chars = k_snippet_chars - 2;
// At most this much text before the first match, so that most of the snippet follows it.
constexpr std::size_t k_lead_chars = 80;

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The rule's text leaves that held: the words to mark. A title: leaf marks the title only.
struct MarkTerms {
    std::vector<tag::Term> terms;
    std::vector<bool> title_only; // per term
};

MarkTerms mark_terms(std::string_view query, const std::vector<std::string>& matched) {
    MarkTerms marks;
    auto parsed = rules::parse_query(query);
    if (!parsed)
        return marks;
    for (const auto& atom : parsed->atoms) {
        bool text = atom.field == rules::Field::text || atom.field == rules::Field::title;
        if (text && std::find(matched.begin(), matched.end(), atom.written) != matched.end()) {
            marks.terms.push_back(atom.term);
            marks.title_only.push_back(atom.field == rules::Field::title);
        }
    }
    return marks;
}

// Matched words, by index into the text's words, inclusive.
struct Mark {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
};

// Every occurrence of a mark term in `words`, by where it begins, overlapping ones merged.
std::vector<Mark> find_marks(std::string_view text, const parsers::WordList& words,
                             const tag::Matcher& matcher, const MarkTerms& terms, bool in_title,
                             tag::Language language) {
    std::vector<tag::MatchSpan> spans;
    matcher.find(text, words, spans, language);
    std::vector<Mark> found;
    for (const auto& span : spans)
        if (in_title || !terms.title_only[span.pattern])
            found.push_back({span.first_word, span.last_word});
    std::sort(found.begin(), found.end(), [](const Mark& a, const Mark& b) {
        return a.first < b.first || (a.first == b.first && a.last > b.last);
    });
    std::vector<Mark> merged;
    for (const Mark& mark : found) {
        if (!merged.empty() && mark.first <= merged.back().last)
            merged.back().last = std::max(merged.back().last, mark.last);
        else
            merged.push_back(mark);
    }
    return merged;
}

// The bytes of `text`'s first `limit` characters.
std::size_t prefix_bytes(std::string_view text, std::size_t limit) {
    std::size_t chars = 0;
    for (std::size_t at = 0; at < text.size(); ++at)
        if (!is_continuation(text[at]) && chars++ == limit)
            return at;
    return text.size();
}

// What of the text the snippet shows, in bytes, and whether text was left out on either side.
struct Window {
    std::size_t begin = 0, end = 0;
    bool cut_before = false, cut_after = false;
};

class WindowFinder {
public:
    WindowFinder(std::string_view text, const std::vector<parsers::Word>& words)
        : m_text(text), m_words(words) {}

    // Words first..last (a match, or the opening word), then up to k_lead_chars of the words
    // before them, then the words after, then more before when the text ends early.
    Window around(std::size_t first, std::size_t last) const {
        while (last > first && span(first, last) > k_words_chars)
            --last; // a match longer than the snippet keeps its opening words
        if (span(first, last) > k_words_chars) {
            std::size_t begin = m_words[first].source_begin;
            return {begin, begin + prefix_bytes(m_text.substr(begin), k_words_chars), first > 0,
                    true};
        }
        std::size_t match_begin = m_words[first].source_begin;
        while (first > 0 && chars(m_words[first - 1].source_begin, match_begin) <= k_lead_chars &&
               span(first - 1, last) <= k_words_chars)
            --first;
        while (last + 1 < m_words.size() && span(first, last + 1) <= k_words_chars)
            ++last;
        while (first > 0 && span(first - 1, last) <= k_words_chars)
            --first;
        return edges({m_words[first].source_begin, m_words[last].source_end, first > 0,
                      last + 1 < m_words.size()});
    }

private:
    std::size_t chars(std::size_t begin, std::size_t end) const {
        return count_chars(m_text.substr(begin, end - begin));
    }
    std::size_t span(std::size_t first, std::size_t last) const {
        return chars(m_words[first].source_begin, m_words[last].source_end);
    }

    // At the text's start or end, its punctuation too: an opening quote, the final stop.
    Window edges(Window window) const {
        std::size_t begin = 0, end = m_text.size();
        while (begin < window.begin && is_space(m_text[begin]))
            ++begin;
        while (end > window.end && is_space(m_text[end - 1]))
            --end;
        if (!window.cut_before && chars(begin, window.end) <= k_words_chars)
            window.begin = begin;
        if (!window.cut_after && chars(window.begin, end) <= k_words_chars)
            window.end = end;
        window.cut_before = window.begin > begin;
        window.cut_after = window.end < end;
        return window;
    }

    std::string_view m_text;
    const std::vector<parsers::Word>& m_words;
};

// Runs of white space (line breaks between paragraphs too) as one space.
std::string collapse_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (!is_space(text[at])) {
            out += text[at];
            continue;
        }
        out += ' ';
        while (at + 1 < text.size() && is_space(text[at + 1]))
            ++at;
    }
    return out;
}

void append(Snippet& snippet, std::string text, bool match) {
    if (text.empty())
        return;
    if (!snippet.empty() && snippet.back().match == match)
        snippet.back().text += text;
    else
        snippet.push_back({std::move(text), match});
}

Snippet parts_of(std::string_view text, const std::vector<parsers::Word>& words,
                 const Window& window, const std::vector<Mark>& marks) {
    Snippet snippet;
    if (window.cut_before)
        append(snippet, std::string(k_ellipsis), false);
    std::size_t at = window.begin;
    for (const Mark& mark : marks) {
        std::size_t begin = words[mark.first].source_begin, end = words[mark.last].source_end;
        if (begin < at || end > window.end)
            continue;
        append(snippet, collapse_space(text.substr(at, begin - at)), false);
        append(snippet, collapse_space(text.substr(begin, end - begin)), true);
        at = end;
    }
    append(snippet, collapse_space(text.substr(at, window.end - at)), false);
    if (window.cut_after)
        append(snippet, std::string(k_ellipsis), false);
    return snippet;
}

} // namespace

std::size_t count_chars(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

Snippet make_snippet(const SnippetSource& source) {
    MarkTerms terms = mark_terms(source.query, source.matched_terms);
    tag::Language language = tag::language_of(source.language);
    tag::Matcher matcher(terms.terms);
    parsers::WordList words;
    for (bool in_title : {false, true}) {
        std::string_view text = in_title ? source.title : source.body;
        words.clear();
        parsers::split_words(text, words);
        if (terms.terms.empty() || words.words.empty())
            continue;
        auto marks = find_marks(text, words, matcher, terms, in_title, language);
        if (!marks.empty())
            return parts_of(text, words.words,
                            WindowFinder(text, words.words).around(marks[0].first, marks[0].last),
                            marks);
    }
    // No word of the text matched (a rule on topic:, feed: or lang: alone): the opening.
    for (std::string_view text : {source.body, source.title}) {
        words.clear();
        parsers::split_words(text, words);
        if (!words.words.empty())
            return parts_of(text, words.words, WindowFinder(text, words.words).around(0, 0), {});
    }
    return {};
}

std::string snippet_text(const Snippet& snippet) {
    std::string text;
    for (const auto& part : snippet)
        text += part.text;
    return text;
}

} // namespace newsmon::alerts

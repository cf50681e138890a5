#include "tag/tagger.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace newsmon::tag {

Tagger::Tagger(std::vector<TopicInfo> topics, std::vector<PatternInfo> patterns,
               std::unique_ptr<Matcher> matcher)
    : m_topics(std::move(topics)), m_patterns(std::move(patterns)), m_matcher(std::move(matcher)) {}

tl::expected<Tagger, std::string> Tagger::compile(const std::vector<TopicConfig>& topics) {
    std::vector<TopicInfo> topic_infos;
    std::vector<PatternInfo> pattern_infos;
    std::vector<Term> terms;
    for (std::uint32_t t = 0; t < topics.size(); ++t) {
        topic_infos.push_back({topics[t].name, topics[t].min_score});
        auto add = [&](const std::string& text, bool exclude) -> tl::expected<void, std::string> {
            auto term = parse_term(text);
            if (!term)
                return tl::unexpected("topic " + topics[t].name + ": " + term.error());
            if (exclude && term->weak)
                return tl::unexpected("topic " + topics[t].name + ": exclude \"" + text +
                                      "\" cannot be weak");
            terms.push_back(std::move(*term));
            pattern_infos.push_back({t, exclude});
            return {};
        };
        for (const auto& text : topics[t].terms)
            if (auto added = add(text, false); !added)
                return tl::unexpected(added.error());
        for (const auto& text : topics[t].exclude)
            if (auto added = add(text, true); !added)
                return tl::unexpected(added.error());
    }
    return Tagger(std::move(topic_infos), std::move(pattern_infos),
                  std::make_unique<Matcher>(std::move(terms)));
}

namespace {

// Orders hits so that, within one text part and topic, an occurrence follows every occurrence
// that contains it: by start, longer first, then by configured term.
using Hit = Tagger::Hit;

bool sweep_order(const Hit& a, const Hit& b, std::uint32_t topic_a, std::uint32_t topic_b) {
    return std::tie(a.in_title, topic_a, a.first_word, b.last_word, a.pattern) <
           std::tie(b.in_title, topic_b, b.first_word, a.last_word, b.pattern);
}

} // namespace

std::vector<Hit> Tagger::counted_hits(std::vector<Hit> hits, std::vector<Hit> excludes) const {
    auto topic_of = [&](const Hit& hit) { return m_patterns[hit.pattern].topic; };
    auto order = [&](const Hit& a, const Hit& b) {
        return sweep_order(a, b, topic_of(a), topic_of(b));
    };
    std::sort(hits.begin(), hits.end(), order);
    std::sort(excludes.begin(), excludes.end(), order);
    std::vector<Hit> counted;
    counted.reserve(hits.size());
    std::size_t next_exclude = 0;
    // The furthest word reached by an exclude phrase, and by a counted occurrence, that began
    // at or before the current one in the same part and topic.
    std::int64_t exclude_reach = -1, counted_reach = -1;
    const Hit* group = nullptr;
    auto group_of = [&](const Hit& h) { return std::make_pair(h.in_title, topic_of(h)); };
    for (const Hit& hit : hits) {
        if (!group || group_of(*group) != group_of(hit)) {
            group = &hit;
            exclude_reach = counted_reach = -1;
            while (next_exclude < excludes.size() &&
                   group_of(excludes[next_exclude]) < group_of(hit))
                ++next_exclude; // excludes of groups without occurrences
        }
        while (next_exclude < excludes.size() &&
               group_of(excludes[next_exclude]) == group_of(hit) &&
               excludes[next_exclude].first_word <= hit.first_word) {
            exclude_reach = std::max<std::int64_t>(exclude_reach, excludes[next_exclude].last_word);
            ++next_exclude;
        }
        // Inside an exclude phrase of the topic: not counted. Inside another counted
        // occurrence (a surname within the full name, or the same words matched by two
        // spellings of a term): counted once, as the first.
        if (exclude_reach >= hit.last_word || counted_reach >= hit.last_word)
            continue;
        counted_reach = std::max<std::int64_t>(counted_reach, hit.last_word);
        counted.push_back(hit);
    }
    return counted;
}

std::vector<TopicResult> Tagger::tag(std::string_view title, std::string_view body,
                                     Language language) const {
    thread_local parsers::WordList words;
    thread_local std::vector<MatchSpan> spans;
    std::vector<Hit> hits;
    std::vector<Hit> excludes;
    for (bool in_title : {true, false}) {
        std::string_view text = in_title ? title : body;
        words.clear();
        spans.clear();
        parsers::split_words(text, words);
        m_matcher->find(text, words, spans, language);
        for (const auto& span : spans) {
            Hit hit{span.pattern,
                    span.first_word,
                    span.last_word,
                    in_title,
                    words.words[span.first_word].source_begin,
                    words.words[span.last_word].source_end};
            (m_patterns[span.pattern].exclude ? excludes : hits).push_back(hit);
        }
    }
    hits = counted_hits(std::move(hits), std::move(excludes));

    std::vector<TopicResult> results(m_topics.size());
    std::vector<std::set<std::uint32_t>> matched(m_topics.size()); // patterns, as configured
    std::vector<std::set<std::uint32_t>> weak_terms(m_topics.size());
    std::vector<bool> has_strong(m_topics.size(), false);
    for (const auto& hit : hits) {
        std::uint32_t t = m_patterns[hit.pattern].topic;
        if (m_matcher->pattern(hit.pattern).weak)
            weak_terms[t].insert(hit.pattern);
        else
            has_strong[t] = true;
    }
    for (const auto& hit : hits) {
        std::uint32_t t = m_patterns[hit.pattern].topic;
        // A weak term counts only with a strong term of the topic, or a second weak one.
        if (m_matcher->pattern(hit.pattern).weak && !has_strong[t] && weak_terms[t].size() < 2)
            continue;
        TopicMatch& match = results[t].match;
        match.score += hit.in_title ? 3 : 1;
        ++match.hits;
        match.in_title |= hit.in_title;
        matched[t].insert(hit.pattern);
        results[t].occurrences.push_back(
            {m_matcher->pattern(hit.pattern).text, hit.in_title, hit.begin, hit.end});
    }
    std::vector<TopicResult> applied;
    for (std::uint32_t t = 0; t < m_topics.size(); ++t) {
        TopicResult& result = results[t];
        if (result.match.hits == 0 || result.match.score < m_topics[t].min_score)
            continue;
        result.match.topic = m_topics[t].name;
        for (std::uint32_t pattern : matched[t])
            result.match.matched_terms.push_back(m_matcher->pattern(pattern).text);
        applied.push_back(std::move(result));
    }
    return applied;
}

std::vector<TopicMatch> Tagger::topics_of(std::string_view title, std::string_view body,
                                          Language language) const {
    std::vector<TopicMatch> matches;
    for (auto& result : tag(title, body, language))
        matches.push_back(std::move(result.match));
    return matches;
}

} // namespace newsmon::tag

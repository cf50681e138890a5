#include "tag/tagger.hpp"

#include <algorithm>
#include <set>

namespace newsmon::tag {

Tagger::Tagger(std::vector<TopicInfo> topics, std::vector<PatternInfo> patterns,
               std::unique_ptr<Matcher> matcher)
    : m_topics(std::move(topics)), m_patterns(std::move(patterns)), m_matcher(std::move(matcher)) {}

tl::expected<Tagger, std::string> Tagger::compile(const std::vector<config::TopicConfig>& topics) {
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

struct Hit {
    std::uint32_t pattern;
    std::uint32_t first_word, last_word;
    bool in_title;
    std::uint32_t begin, end; // bytes in the title or body
};

} // namespace

std::vector<TopicResult> Tagger::tag(std::string_view title, std::string_view body) const {
    thread_local parsers::WordList words;
    thread_local std::vector<MatchSpan> spans;
    std::vector<Hit> hits;
    std::vector<Hit> excludes;
    for (bool in_title : {true, false}) {
        std::string_view text = in_title ? title : body;
        words.clear();
        spans.clear();
        parsers::split_words(text, words);
        m_matcher->find(text, words, spans);
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
    // An occurrence inside an exclude phrase of the same topic does not count.
    std::erase_if(hits, [&](const Hit& hit) {
        return std::any_of(excludes.begin(), excludes.end(), [&](const Hit& ex) {
            return ex.in_title == hit.in_title &&
                   m_patterns[ex.pattern].topic == m_patterns[hit.pattern].topic &&
                   ex.first_word <= hit.first_word && hit.last_word <= ex.last_word;
        });
    });
    // One mention counts once: an occurrence inside another occurrence of the same topic (a
    // surname inside the full name, the same words matched by two spellings of a term) goes.
    auto contains = [&](const Hit& outer, const Hit& inner) {
        return outer.in_title == inner.in_title &&
               m_patterns[outer.pattern].topic == m_patterns[inner.pattern].topic &&
               outer.first_word <= inner.first_word && inner.last_word <= outer.last_word;
    };
    std::vector<Hit> counted;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        bool inside_another = false;
        for (std::size_t j = 0; j < hits.size() && !inside_another; ++j) {
            if (i == j || !contains(hits[j], hits[i]))
                continue;
            bool same_span =
                hits[j].first_word == hits[i].first_word && hits[j].last_word == hits[i].last_word;
            // Of two equal spans, the term configured first stays.
            inside_another = !same_span || hits[j].pattern < hits[i].pattern ||
                             (hits[j].pattern == hits[i].pattern && j < i);
        }
        if (!inside_another)
            counted.push_back(hits[i]);
    }
    hits.swap(counted);
    std::vector<TopicResult> results;
    for (std::uint32_t t = 0; t < m_topics.size(); ++t) {
        std::vector<const Hit*> strong, weak;
        std::set<std::uint32_t> weak_terms;
        for (const auto& hit : hits) {
            if (m_patterns[hit.pattern].topic != t)
                continue;
            if (m_matcher->pattern(hit.pattern).weak) {
                weak.push_back(&hit);
                weak_terms.insert(hit.pattern);
            } else {
                strong.push_back(&hit);
            }
        }
        if (strong.empty() && weak_terms.size() < 2)
            weak.clear(); // a lone weak term is not enough
        TopicResult result;
        result.match.topic = m_topics[t].name;
        std::set<std::uint32_t> matched_patterns; // ordered as configured
        for (const auto* group : {&strong, &weak}) {
            for (const Hit* hit : *group) {
                result.match.score += hit->in_title ? 3 : 1;
                ++result.match.hits;
                result.match.in_title |= hit->in_title;
                matched_patterns.insert(hit->pattern);
                result.occurrences.push_back(
                    {m_matcher->pattern(hit->pattern).text, hit->in_title, hit->begin, hit->end});
            }
        }
        for (std::uint32_t pattern : matched_patterns)
            result.match.matched_terms.push_back(m_matcher->pattern(pattern).text);
        if (result.match.hits > 0 && result.match.score >= m_topics[t].min_score)
            results.push_back(std::move(result));
    }
    return results;
}

std::vector<TopicMatch> Tagger::topics_of(std::string_view title, std::string_view body) const {
    std::vector<TopicMatch> matches;
    for (auto& result : tag(title, body))
        matches.push_back(std::move(result.match));
    return matches;
}

} // namespace newsmon::tag

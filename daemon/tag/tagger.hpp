// Tags an article with the configured topics: every term of every topic in one matcher,
// exclude phrases applied, weak terms counted only with support, title hits weighing three.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "tag/matcher.hpp"
#include "tag/topic_config.hpp"
#include "tag/topic_match.hpp"

namespace newsmon::tag {

// Where one counted term occurrence stands: byte offsets into the title or the body.
struct TermOccurrence {
    std::string_view term; // as configured; valid as long as the Tagger
    bool in_title = false;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct TopicResult {
    TopicMatch match;
    std::vector<TermOccurrence> occurrences;
};

class Tagger {
public:
    // Fails, naming the topic and the term, when a term does not parse.
    [[nodiscard]] static tl::expected<Tagger, std::string>
    compile(const std::vector<TopicConfig>& topics);

    // The topics that reach their min_score, in configuration order. `language` chooses the
    // stemmer for words in Latin letters (see Matcher::find).
    [[nodiscard]] std::vector<TopicResult> tag(std::string_view title, std::string_view body,
                                               Language language = Language::none) const;

    // The same, as stored in article_topics.
    [[nodiscard]] std::vector<TopicMatch> topics_of(std::string_view title, std::string_view body,
                                                    Language language = Language::none) const;

    [[nodiscard]] std::size_t term_count() const { return m_matcher->size(); }

    // One occurrence of a term or exclude phrase in the title or the body.
    struct Hit {
        std::uint32_t pattern;
        std::uint32_t first_word, last_word;
        bool in_title;
        std::uint32_t begin, end; // bytes in the title or body
    };

private:
    // The occurrences that count: not inside an exclude phrase of their topic, and not inside
    // another occurrence of their topic.
    [[nodiscard]] std::vector<Hit> counted_hits(std::vector<Hit> hits,
                                                std::vector<Hit> excludes) const;

    struct PatternInfo {
        std::uint32_t topic;
        bool exclude;
    };
    struct TopicInfo {
        std::string name;
        int min_score;
    };

    Tagger(std::vector<TopicInfo> topics, std::vector<PatternInfo> patterns,
           std::unique_ptr<Matcher> matcher);

    std::vector<TopicInfo> m_topics;
    std::vector<PatternInfo> m_patterns;
    std::shared_ptr<const Matcher> m_matcher; // shared: a Tagger is copied into each poll
};

} // namespace newsmon::tag

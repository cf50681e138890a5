// Story assignment run over a labelled set of articles, scored pair by pair: what the tests
// assert and what bench/score_stories prints.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace newsmon::testing {

struct LabelledArticle {
    std::string id, story, language, feed, published_at, title, body, kind;
};

struct PairScore {
    std::size_t true_positive = 0, false_positive = 0, false_negative = 0;
    [[nodiscard]] double precision() const {
        auto found = true_positive + false_positive;
        return found == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(found);
    }
    [[nodiscard]] double recall() const {
        auto wanted = true_positive + false_negative;
        return wanted == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(wanted);
    }
};

struct StoryEvaluation {
    PairScore within_language, across_languages;
    std::vector<std::string> wrong_pairs; // "joined a/b" or "split a/b", for reading
    std::size_t articles = 0, stories = 0, labelled_stories = 0;
};

// Reads JSON lines with id, story, lang, feed, published_at, title, body (kind optional).
[[nodiscard]] std::vector<LabelledArticle> read_labelled_articles(const std::string& path);

// Assigns stories in publication order, as ingest does, and scores every pair of articles.
[[nodiscard]] StoryEvaluation evaluate_stories(const std::vector<LabelledArticle>& articles);

} // namespace newsmon::testing

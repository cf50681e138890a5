#include "story_evaluation.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/dates.hpp"
#include "stories/story_index.hpp"

namespace newsmon::testing {

std::vector<LabelledArticle> read_labelled_articles(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::vector<LabelledArticle> articles;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        auto json = nlohmann::json::parse(line);
        articles.push_back({json.at("id"), json.at("story"), json.at("lang"), json.at("feed"),
                            json.at("published_at"), json.at("title"), json.at("body"),
                            json.value("kind", "")});
    }
    return articles;
}

StoryEvaluation evaluate_stories(const std::vector<LabelledArticle>& articles) {
    std::vector<std::size_t> order(articles.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::vector<std::chrono::sys_seconds> published(articles.size());
    for (std::size_t i = 0; i < articles.size(); ++i) {
        auto parsed = parsers::parse_date(articles[i].published_at);
        if (!parsed)
            throw std::runtime_error("bad published_at in " + articles[i].id);
        published[i] = *parsed;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return published[a] < published[b]; });
    stories::StoryIndex index(std::chrono::hours(72));
    std::vector<std::int64_t> story_of(articles.size());
    std::int64_t next_story = 1;
    for (std::size_t i : order) {
        const auto& article = articles[i];
        auto signature = stories::make_signature(article.title, article.body,
                                                 tag::language_of(article.language));
        auto match = index.nearest(signature, published[i]);
        story_of[i] = match ? match->story_id : next_story++;
        index.add({static_cast<std::int64_t>(i) + 1, story_of[i], published[i], signature});
    }
    StoryEvaluation evaluation;
    evaluation.articles = articles.size();
    evaluation.stories = static_cast<std::size_t>(next_story - 1);
    std::map<std::string, int> labels;
    for (const auto& article : articles)
        ++labels[article.story];
    evaluation.labelled_stories = labels.size();
    for (std::size_t a = 0; a < articles.size(); ++a) {
        for (std::size_t b = a + 1; b < articles.size(); ++b) {
            bool truth = articles[a].story == articles[b].story;
            bool predicted = story_of[a] == story_of[b];
            if (!truth && !predicted)
                continue;
            PairScore& score = articles[a].language == articles[b].language
                                   ? evaluation.within_language
                                   : evaluation.across_languages;
            if (truth && predicted)
                ++score.true_positive;
            else if (predicted)
                ++score.false_positive;
            else
                ++score.false_negative;
            if (truth != predicted)
                evaluation.wrong_pairs.push_back(std::string(predicted ? "joined " : "split ") +
                                                 articles[a].id + " / " + articles[b].id);
        }
    }
    return evaluation;
}

} // namespace newsmon::testing

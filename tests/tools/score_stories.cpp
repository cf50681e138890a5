// score_stories FILE [--wrong]: assigns stories to a labelled set of articles (JSON lines) the
// way ingest does and prints pairwise precision and recall within and across languages.
#include <cstdio>
#include <cstring>
#include <exception>

#include <cmath>
#include <map>

#include "newsmon/parsers/dates.hpp"
#include "stories/story_index.hpp"
#include "story_evaluation.hpp"

namespace {

// Prints how each wrongly joined or split pair compares, against an index of the whole set.
void explain(const std::vector<newsmon::testing::LabelledArticle>& articles,
             const std::vector<std::string>& wrong_pairs) {
    using namespace newsmon;
    stories::StoryIndex index(std::chrono::hours(72));
    std::map<std::string, stories::Signature> signature_of;
    std::int64_t id = 0;
    for (const auto& article : articles) {
        auto signature = stories::make_signature(article.title, article.body,
                                                 tag::language_of(article.language));
        signature_of[article.id] = signature;
        index.add({++id, id, *parsers::parse_date(article.published_at), signature});
    }
    for (const auto& pair : wrong_pairs) {
        auto space = pair.find(' '), slash = pair.find(" / ");
        std::string a = pair.substr(space + 1, slash - space - 1), b = pair.substr(slash + 3);
        auto comparison = index.compare(signature_of[a], signature_of[b]);
        std::printf("  %-50s words %.2f signals %.2f shared %zu numbers %zu/%zu/%zu\n",
                    pair.c_str(), comparison.words, comparison.signals, comparison.shared_signals,
                    comparison.shared_numbers, signature_of[a].numbers.size(),
                    signature_of[b].numbers.size());
    }
}

// Every pair within the window, as tab-separated values, to study thresholds with.
void dump_pairs(const std::vector<newsmon::testing::LabelledArticle>& articles) {
    using namespace newsmon;
    stories::StoryIndex index(std::chrono::hours(72));
    std::vector<stories::Signature> signatures;
    std::int64_t id = 0;
    for (const auto& article : articles) {
        signatures.push_back(stories::make_signature(article.title, article.body,
                                                     tag::language_of(article.language)));
        index.add({++id, id, *parsers::parse_date(article.published_at), signatures.back()});
    }
    for (std::size_t a = 0; a < articles.size(); ++a)
        for (std::size_t b = a + 1; b < articles.size(); ++b) {
            auto c = index.compare(signatures[a], signatures[b]);
            auto apart = *parsers::parse_date(articles[a].published_at) -
                         *parsers::parse_date(articles[b].published_at);
            std::printf("%s\t%s\t%d\t%d\t%.3f\t%.3f\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%.1f\n",
                        articles[a].id.c_str(), articles[b].id.c_str(),
                        articles[a].story == articles[b].story ? 1 : 0,
                        articles[a].language == articles[b].language ? 1 : 0, c.words, c.signals,
                        c.shared_signals, c.shared_numbers, signatures[a].numbers.size(),
                        signatures[b].numbers.size(), signatures[a].names.size(),
                        signatures[b].names.size(),
                        std::abs(static_cast<double>(apart.count())) / 3600.0);
        }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: score_stories FILE [--wrong]\n");
        return 2;
    }
    try {
        auto articles = newsmon::testing::read_labelled_articles(argv[1]);
        if (argc > 2 && std::strcmp(argv[2], "--pairs") == 0) {
            dump_pairs(articles);
            return 0;
        }
        auto result = newsmon::testing::evaluate_stories(articles);
        std::printf("articles %zu, labelled stories %zu, stories formed %zu\n", result.articles,
                    result.labelled_stories, result.stories);
        std::printf("within a language: precision %.3f recall %.3f (pairs: %zu right, %zu joined "
                    "wrongly, %zu missed)\n",
                    result.within_language.precision(), result.within_language.recall(),
                    result.within_language.true_positive, result.within_language.false_positive,
                    result.within_language.false_negative);
        std::printf("across languages:  precision %.3f recall %.3f (pairs: %zu right, %zu joined "
                    "wrongly, %zu missed)\n",
                    result.across_languages.precision(), result.across_languages.recall(),
                    result.across_languages.true_positive, result.across_languages.false_positive,
                    result.across_languages.false_negative);
        if (argc > 2 && std::strcmp(argv[2], "--wrong") == 0)
            for (const auto& pair : result.wrong_pairs)
                std::printf("  %s\n", pair.c_str());
        if (argc > 2 && std::strcmp(argv[2], "--explain") == 0)
            explain(articles, result.wrong_pairs);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "score_stories: %s\n", error.what());
        return 1;
    }
    return 0;
}

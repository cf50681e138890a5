// Tagging quality beside the speed: the shipped topics (config/newsmon.toml) on the labelled
// set (tests/fixtures/tagging/labelled.jsonl, or NEWSMON_LABELLED_SET), each article tagged in
// the language detected from its text. Prints precision and recall per topic and per
// language, and how often detection named the set's language.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "summary.hpp"
#include "tag/language_detector.hpp"
#include "tag/tagger.hpp"

namespace {

using namespace newsmon;

struct Counts {
    int true_positive = 0, false_positive = 0, false_negative = 0;
    [[nodiscard]] double precision() const {
        int predicted = true_positive + false_positive;
        return predicted == 0 ? 1.0 : static_cast<double>(true_positive) / predicted;
    }
    [[nodiscard]] double recall() const {
        int actual = true_positive + false_negative;
        return actual == 0 ? 1.0 : static_cast<double>(true_positive) / actual;
    }
};

} // namespace

int main() {
    auto loaded = config::load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    if (!loaded.config)
        return 1;
    auto tagger = tag::Tagger::compile(loaded.config->topics);
    if (!tagger) {
        std::fprintf(stderr, "%s\n", tagger.error().c_str());
        return 1;
    }
    const char* other = std::getenv("NEWSMON_LABELLED_SET");
    std::ifstream in(other ? std::string(other)
                           : std::string(NEWSMON_SOURCE_DIR) +
                                 "/tests/fixtures/tagging/labelled.jsonl");
    std::map<std::string, Counts> by_topic, by_language;
    int articles = 0, titles_right = 0, bodies_right = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        auto article = nlohmann::json::parse(line);
        ++articles;
        auto title = article["title"].get<std::string>();
        auto body = article["body"].get<std::string>();
        auto lang = article["lang"].get<std::string>();
        titles_right += tag::detect_language(title, "") == lang;
        bodies_right += tag::detect_language("", body) == lang;
        std::set<std::string> expected(article["topics"].begin(), article["topics"].end());
        std::set<std::string> found;
        auto language = tag::language_of(tag::article_language("", title, body).code);
        for (const auto& match : tagger->topics_of(title, body, language))
            found.insert(match.topic);
        for (const auto& topic : loaded.config->topics) {
            bool want = expected.contains(topic.name), got = found.contains(topic.name);
            for (Counts* counts : {&by_topic[topic.name], &by_language[topic.name + " " + lang]}) {
                counts->true_positive += want && got;
                counts->false_positive += !want && got;
                counts->false_negative += want && !got;
            }
        }
    }
    std::printf("%d labelled articles\n", articles);
    for (const auto& [name, counts] : by_topic) {
        std::printf("%-13s precision %.3f recall %.3f (tp %d, fp %d, fn %d)\n", name.c_str(),
                    counts.precision(), counts.recall(), counts.true_positive,
                    counts.false_positive, counts.false_negative);
        std::string workload = "tagging quality, " + name;
        bench::summary_row((workload + ", precision").c_str(), counts.precision(), "", "-", 0,
                           ">= 0.97");
        bench::summary_row((workload + ", recall").c_str(), counts.recall(), "", "-", 0, ">= 0.97");
    }
    for (const auto& [name, counts] : by_language)
        std::printf("  %-16s precision %.3f recall %.3f\n", name.c_str(), counts.precision(),
                    counts.recall());
    double titles = articles ? static_cast<double>(titles_right) / articles : 0;
    double bodies = articles ? static_cast<double>(bodies_right) / articles : 0;
    std::printf("language detection: titles %.3f, bodies %.3f\n", titles, bodies);
    bench::summary_row("language detection, titles", titles, "", "-", 0, ">= 0.95");
    bench::summary_row("language detection, bodies", bodies, "", "-", 0, ">= 0.99");
    return 0;
}

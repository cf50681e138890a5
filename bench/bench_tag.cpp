// Tagging speed on 5 MB of mixed-language news text: word splitting and folding alone, then
// the full tagger with the shipped topics (2 topics) and with 1,000 terms, in the same run.
#include <benchmark/benchmark.h>

#include <random>

#include "config/config.hpp"
#include "feed_generator.hpp"
#include "newsmon/parsers/words.hpp"
#include "tag/tagger.hpp"

namespace {

using namespace newsmon;

const std::string& news_text() {
    static const std::string text = [] {
        std::string out;
        for (std::size_t n = 0; out.size() < (5U << 20); ++n) {
            std::string paragraph = bench::paragraph(n);
            out.append(paragraph, 3, paragraph.size() - 7); // without <p> and </p>
            out += n % 7 == 0 ? " NATO officials met in Baku. " : " ";
            out += n % 11 == 0 ? "Азербайджан и НАТО обсудили сотрудничество. " : "";
            out += n % 13 == 0 ? "Bakıda NATO-nun nümayəndələri görüşüb.\n" : "\n";
        }
        return out;
    }();
    return text;
}

std::vector<tag::TopicConfig> shipped_topics() {
    auto loaded = config::load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    return loaded.config ? loaded.config->topics : std::vector<tag::TopicConfig>{};
}

// Ten topics of a hundred made-up names each, in Latin and Cyrillic letters, some of them
// stems and some two-word phrases: the size of a large monitoring setup.
std::vector<tag::TopicConfig> thousand_terms() {
    static const char* const k_latin[] = {"ka", "ro",  "mi", "sel", "tan",
                                          "ve", "bor", "is", "lu",  "dex"};
    static const char* const k_cyrillic[] = {"ка", "ро",  "ми", "сел", "тан",
                                             "ве", "бор", "ис", "лу",  "декс"};
    std::mt19937 random(42);
    std::vector<tag::TopicConfig> topics;
    for (int t = 0; t < 10; ++t) {
        tag::TopicConfig topic{"topic" + std::to_string(t), "", {}, {}, 1};
        for (int i = 0; i < 100; ++i) {
            bool cyrillic = i % 3 == 0;
            std::string word;
            for (int s = 0; s < 3 + static_cast<int>(random() % 2); ++s)
                word += (cyrillic ? k_cyrillic : k_latin)[random() % 10];
            if (i % 5 == 0)
                word += "*";
            else if (i % 7 == 0)
                word += cyrillic ? " союз" : " council";
            topic.terms.push_back(word);
        }
        topics.push_back(std::move(topic));
    }
    return topics;
}

void BM_SplitAndFold(benchmark::State& state) {
    const std::string& text = news_text();
    parsers::WordList words;
    for (auto _ : state) {
        words.clear();
        parsers::split_words(text, words);
        benchmark::DoNotOptimize(words.words.data());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void run_tagger(benchmark::State& state, const std::vector<tag::TopicConfig>& topics) {
    const std::string& text = news_text();
    auto tagger = tag::Tagger::compile(topics);
    if (!tagger) {
        state.SkipWithError(tagger.error().c_str());
        return;
    }
    for (auto _ : state) {
        auto results = tagger->tag("", text, tag::Language::en);
        benchmark::DoNotOptimize(results.data());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
    state.counters["terms"] = static_cast<double>(tagger->term_count());
}

void BM_TagShippedTopics(benchmark::State& state) {
    run_tagger(state, shipped_topics());
}

void BM_TagThousandTerms(benchmark::State& state) {
    auto topics = thousand_terms();
    auto shipped = shipped_topics();
    topics.insert(topics.end(), shipped.begin(), shipped.end());
    run_tagger(state, topics);
}

} // namespace

BENCHMARK(BM_SplitAndFold)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TagShippedTopics)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TagThousandTerms)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

// Alert matching speed: 1,000 enabled rules against 10,000 articles of about 4 KB, as the
// writers match them, side by side with the tagger on the same articles.
#include <benchmark/benchmark.h>

#include <random>

#include "config/config.hpp"
#include "feed_generator.hpp"
#include "rules/rule_set.hpp"
#include "tag/tagger.hpp"

namespace {

using namespace newsmon;

struct Article {
    std::string title;
    std::string body;
    std::vector<std::string_view> topics;
};

// Ten thousand articles of ~4 KB in four languages, every seventh about NATO in Baku.
const std::vector<Article>& articles() {
    static const std::vector<Article> list = [] {
        std::vector<Article> out;
        for (std::size_t n = 0; n < 10'000; ++n) {
            Article article;
            article.title = "Story " + std::to_string(n) + ": foreign minister meets envoys";
            for (std::size_t p = 0; article.body.size() < 4'000; ++p) {
                std::string paragraph = bench::paragraph(n + p);
                article.body.append(paragraph, 3, paragraph.size() - 7);
                article.body += '\n';
            }
            if (n % 7 == 0) {
                article.body += "NATO officials met in Baku to discuss the Partnership for Peace.";
                article.topics = {"nato", "azerbaijan"};
            }
            out.push_back(std::move(article));
        }
        return out;
    }();
    return list;
}

// A thousand rules as analysts write them: made-up names (most never occur), words of the
// articles, phrases, wildcards, NEAR, NOT and field scopes.
std::vector<rules::CompiledRule> thousand_rules() {
    static const char* const k_syllables[] = {"ka", "ro", "mi", "sel", "tan", "ve", "bor", "is"};
    static const char* const k_article_words[] = {
        "delegation",   "ministers", "Baku",     "NATO",          "transport",
        "безопасности", "Nazirlər",  "güvenlik", "consultations", "envoys"};
    std::mt19937 random(7);
    auto made_up = [&] {
        std::string word;
        for (int s = 0; s < 3; ++s)
            word += k_syllables[random() % 8];
        return word;
    };
    auto real = [&] { return std::string(k_article_words[random() % 10]); };
    std::vector<rules::CompiledRule> rules;
    for (int i = 0; i < 1'000; ++i) {
        std::string query;
        switch (i % 8) {
        case 0:
            query = made_up() + " AND " + real();
            break;
        case 1:
            query = "\"" + made_up() + " " + made_up() + "\" OR " + made_up() + "*";
            break;
        case 2:
            query = real() + " NEAR/5 " + made_up();
            break;
        case 3:
            query = "title:" + made_up() + " NOT " + real();
            break;
        case 4:
            query = "topic:nato AND " + made_up();
            break;
        case 5:
            query = "(" + made_up() + " OR " + made_up() + ") AND " + real();
            break;
        case 6:
            query = real() + " NEAR/3 " + real();
            break;
        default:
            query = real() + " AND " + real() + " NOT " + made_up();
            break;
        }
        auto parsed = rules::parse_query(query);
        if (!parsed)
            throw std::runtime_error(parsed.error().to_string() + " in " + query);
        rules.push_back({i + 1, "rule" + std::to_string(i), std::move(*parsed)});
    }
    return rules;
}

void BM_MatchThousandRules(benchmark::State& state) {
    rules::RuleSet rules(thousand_rules());
    std::size_t hits = 0;
    for (auto _ : state) {
        hits = 0;
        for (const auto& article : articles())
            hits += rules.match({article.title, article.body, "Bench wire", "en", article.topics})
                        .size();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(articles().size()));
    state.counters["rules"] = static_cast<double>(rules.size());
    state.counters["patterns"] = static_cast<double>(rules.pattern_count());
    state.counters["matches_per_article"] =
        static_cast<double>(hits) / static_cast<double>(articles().size());
}

void BM_TagSameArticles(benchmark::State& state) {
    auto loaded = config::load_config(std::string(NEWSMON_SOURCE_DIR) + "/config/newsmon.toml");
    auto tagger = tag::Tagger::compile(loaded.config ? loaded.config->topics
                                                     : std::vector<tag::TopicConfig>{});
    if (!tagger) {
        state.SkipWithError(tagger.error().c_str());
        return;
    }
    for (auto _ : state)
        for (const auto& article : articles())
            benchmark::DoNotOptimize(tagger->topics_of(article.title, article.body).data());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(articles().size()));
}

} // namespace

BENCHMARK(BM_MatchThousandRules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TagSameArticles)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

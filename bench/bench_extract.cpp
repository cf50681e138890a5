// Article extraction speed on a few hundred pages (the test fixtures, each with its body
// repeated to a typical page size), side by side with gumbo's bare parse of the same pages.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gumbo.h>

#include "newsmon/parsers/article.hpp"

namespace {

using namespace newsmon;

// 300 pages: every fixture page, with its story paragraphs repeated one to eight times (pages
// of 1.5 to 25 KB, 6 KB on average).
const std::vector<std::string>& pages() {
    static const std::vector<std::string> list = [] {
        std::vector<std::string> sources;
        for (const auto& entry : std::filesystem::directory_iterator(
                 std::string(NEWSMON_SOURCE_DIR) + "/tests/fixtures/articles"))
            if (entry.path().extension() == ".html") {
                std::ifstream in(entry.path(), std::ios::binary);
                std::stringstream buffer;
                buffer << in.rdbuf();
                sources.push_back(buffer.str());
            }
        std::sort(sources.begin(), sources.end());
        std::vector<std::string> out;
        for (std::size_t n = 0; out.size() < 300; ++n) {
            std::string page = sources[n % sources.size()];
            std::size_t first_p = page.find("<p>");
            std::size_t last_p = page.rfind("</p>");
            if (first_p != std::string::npos && last_p != std::string::npos && last_p > first_p) {
                std::string story = page.substr(first_p, last_p + 4 - first_p);
                std::string body;
                for (std::size_t copies = 1 + n % 8; copies > 0; --copies)
                    body += story;
                page.replace(first_p, last_p + 4 - first_p, body);
            }
            out.push_back(std::move(page));
        }
        return out;
    }();
    return list;
}

std::int64_t total_bytes() {
    std::int64_t bytes = 0;
    for (const auto& page : pages())
        bytes += static_cast<std::int64_t>(page.size());
    return bytes;
}

void BM_GumboParseOnly(benchmark::State& state) {
    for (auto _ : state)
        for (const auto& page : pages()) {
            GumboOutput* output =
                gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
            benchmark::DoNotOptimize(output->root);
            gumbo_destroy_output(&kGumboDefaultOptions, output);
        }
    state.SetBytesProcessed(state.iterations() * total_bytes());
    state.counters["pages"] = static_cast<double>(pages().size());
}

void BM_ExtractArticle(benchmark::State& state) {
    for (auto _ : state)
        for (const auto& page : pages()) {
            auto article =
                parsers::extract_article(page, {"https://bench.example.test/news/1.html", ""});
            benchmark::DoNotOptimize(article->content_text.data());
        }
    state.SetBytesProcessed(state.iterations() * total_bytes());
}

} // namespace

BENCHMARK(BM_GumboParseOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractArticle)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

// The cost of story assignment per article: its signature, and the search of an index holding
// 72 hours of articles at 30,000 a day, beside the tagger on the same articles. Prints the
// microseconds per article of each step.
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "feed_generator.hpp"
#include "stories/story_index.hpp"
#include "summary.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_indexed = 90'000; // 72 hours at 30,000 articles a day
constexpr std::size_t k_probes = 5'000;

// Made-up names, so that each article carries a few rare ones as real reports do.
std::string name(std::mt19937& random) {
    static const char* const k_parts[] = {"Ka", "Ro",  "Mi",  "Sel", "Tan", "Ve", "Bor", "Is",
                                          "Lu", "Dex", "Nor", "Gal", "Pe",  "Zu", "Fa",  "Qa"};
    std::string out;
    for (int i = 0; i < 3; ++i)
        out += k_parts[random() % 16];
    for (std::size_t i = 1; i < out.size(); ++i)
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    return out + "ov";
}

struct Article {
    std::string title, body;
    std::chrono::sys_seconds published;
};

Article make_article(std::size_t n, std::mt19937& random, std::chrono::sys_seconds start) {
    Article article;
    article.title = "Report " + std::to_string(n) + " from the region";
    for (std::size_t p = 0; p < 3; ++p) {
        std::string paragraph = bench::paragraph(n * 3 + p);
        article.body.append(paragraph, 3, paragraph.size() - 7);
        article.body += " Officials " + name(random) + " and " + name(random) + " said " +
                        std::to_string(random() % 100'000) + " people attended on " +
                        std::to_string(1 + random() % 28) + " May.\n";
    }
    article.published = start + std::chrono::seconds{n * 72 * 3600 / k_indexed};
    return article;
}

double micros_per(Clock::duration elapsed, std::size_t count) {
    return std::chrono::duration<double, std::micro>(elapsed).count() / static_cast<double>(count);
}

} // namespace

int main() {
    std::mt19937 random(42);
    auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
                 std::chrono::hours{72};
    stories::StoryIndex index(std::chrono::hours{72});
    auto build_started = Clock::now();
    for (std::size_t n = 0; n < k_indexed; ++n) {
        Article article = make_article(n, random, start);
        auto signature = stories::make_signature(article.title, article.body, tag::Language::en);
        index.add({static_cast<std::int64_t>(n + 1), static_cast<std::int64_t>(n + 1),
                   article.published, signature});
    }
    auto build_elapsed = Clock::now() - build_started;

    std::vector<Article> probes;
    for (std::size_t n = 0; n < k_probes; ++n)
        probes.push_back(make_article(k_indexed + n, random, start));
    std::vector<stories::Signature> signatures;
    auto signing_started = Clock::now();
    for (const auto& probe : probes)
        signatures.push_back(stories::make_signature(probe.title, probe.body, tag::Language::en));
    auto signing = Clock::now() - signing_started;
    auto search_started = Clock::now();
    std::size_t joined = 0;
    for (std::size_t n = 0; n < k_probes; ++n)
        if (index.nearest(signatures[n], probes[n].published))
            ++joined;
    auto search = Clock::now() - search_started;

    double sign_us = micros_per(signing, k_probes);
    double search_us = micros_per(search, k_probes);
    std::printf("story assignment, index of %zu articles (built in %.1f s, %.1f us each)\n",
                index.size(), std::chrono::duration<double>(build_elapsed).count(),
                micros_per(build_elapsed, k_indexed));
    std::printf("%-40s %10.1f us/article\n", "signature (words, names, numbers)", sign_us);
    std::printf("%-40s %10.1f us/article\n", "search of the index", search_us);
    std::printf("%-40s %10.1f us/article (%zu of %zu joined a story)\n", "assignment step",
                sign_us + search_us, joined, k_probes);
    bench::summary_row("story assignment per article", sign_us + search_us, "us", "-", 0,
                       "microseconds");
    return 0;
}

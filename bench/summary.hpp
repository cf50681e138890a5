// One row of bench/run's summary table, for the benchmarks that are not Google Benchmark
// programs: appended as a JSON line to $NEWSMON_BENCH_SUMMARY when it is set.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace newsmon::bench {

// The database a benchmark stores into: $NEWSMON_BENCH_DATABASE_URL, which bench/run sets;
// nullptr after saying so when it is not set.
inline const char* bench_database_url() {
    const char* url = std::getenv("NEWSMON_BENCH_DATABASE_URL");
    if (!url)
        std::fprintf(stderr, "NEWSMON_BENCH_DATABASE_URL is not set; run bench/run\n");
    return url;
}

// $NEWSMON_BENCH_ARTICLES when set, else `fallback`.
inline unsigned long long bench_article_count(unsigned long long fallback) {
    const char* count = std::getenv("NEWSMON_BENCH_ARTICLES");
    return count ? std::strtoull(count, nullptr, 10) : fallback;
}

inline void summary_row(const char* workload, double figure, const char* unit,
                        const char* reference, double reference_figure, const char* target) {
    const char* path = std::getenv("NEWSMON_BENCH_SUMMARY");
    if (!path)
        return;
    if (std::FILE* out = std::fopen(path, "a")) {
        std::fprintf(out,
                     "{\"workload\": \"%s\", \"figure\": %.6g, \"unit\": \"%s\", "
                     "\"reference\": \"%s\", \"reference_figure\": %.6g, \"target\": \"%s\"}\n",
                     workload, figure, unit, reference, reference_figure, target);
        std::fclose(out);
    }
}

} // namespace newsmon::bench

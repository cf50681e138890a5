// The feed parser against a bare pugixml load-and-walk of the same bytes, in the same run,
// on feeds of about 40 KB, 600 KB and 10 MB. Also reports peak heap per byte of input.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <new>

#include <pugixml.hpp>

#include "feed_generator.hpp"
#include "newsmon/parsers/feed.hpp"

namespace {

// Heap accounting for the memory figure: every operator new and every pugixml allocation.
std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_live{0};
std::atomic<std::size_t> g_peak{0};

void note_allocation(void* pointer) {
    if (!pointer || !g_counting)
        return;
    std::size_t live = g_live += malloc_usable_size(pointer);
    std::size_t peak = g_peak.load();
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
    }
}

void* counted_malloc(std::size_t size) {
    void* pointer = std::malloc(size);
    note_allocation(pointer);
    return pointer;
}

void counted_free(void* pointer) {
    if (pointer && g_counting)
        g_live -= malloc_usable_size(pointer);
    std::free(pointer);
}

const std::string& feed_of(std::int64_t bytes) {
    static std::map<std::int64_t, std::string> cache;
    auto& feed = cache[bytes];
    if (feed.empty())
        feed = newsmon::bench::rss_feed_of_size(static_cast<std::size_t>(bytes));
    return feed;
}

std::size_t items_in(const std::string& feed) {
    std::size_t count = 0;
    for (auto at = feed.find("<item>"); at != std::string::npos; at = feed.find("<item>", at + 1))
        ++count;
    return count;
}

// What any consumer of pugixml must do at least: parse, then visit every node and its text.
struct TouchEverything : pugi::xml_tree_walker {
    std::size_t characters = 0;
    bool for_each(pugi::xml_node& node) override {
        characters += std::char_traits<char>::length(node.value());
        return true;
    }
};

void BM_BarePugixml(benchmark::State& state) {
    const std::string& feed = feed_of(state.range(0));
    for (auto _ : state) {
        pugi::xml_document document;
        document.load_buffer(feed.data(), feed.size(), pugi::parse_default, pugi::encoding_utf8);
        TouchEverything walker;
        document.traverse(walker);
        benchmark::DoNotOptimize(walker.characters);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(feed.size()));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items_in(feed)));
}

void BM_FullParse(benchmark::State& state) {
    const std::string& feed = feed_of(state.range(0));
    newsmon::parsers::ParseOptions options;
    options.feed_url = "https://bench.example.test/rss";
    std::size_t items = 0;
    for (auto _ : state) {
        auto parsed = newsmon::parsers::parse_feed(feed, options);
        items = parsed->items.size();
        benchmark::DoNotOptimize(parsed);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(feed.size()));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items));
}

void BM_FullParsePeakMemory(benchmark::State& state) {
    const std::string& feed = feed_of(state.range(0));
    pugi::set_memory_management_functions(counted_malloc, counted_free);
    double ratio = 0;
    for (auto _ : state) {
        g_live = 0;
        g_peak = 0;
        g_counting = true;
        {
            auto parsed = newsmon::parsers::parse_feed(feed);
            benchmark::DoNotOptimize(parsed);
        }
        g_counting = false;
        ratio = static_cast<double>(g_peak.load()) / static_cast<double>(feed.size());
    }
    pugi::set_memory_management_functions(std::malloc, std::free);
    state.counters["peak_heap_per_input_byte"] = ratio;
}

} // namespace

// The replaced operator new allocates with malloc, so free is the matching release here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
    void* pointer = std::malloc(size);
    if (!pointer)
        throw std::bad_alloc();
    note_allocation(pointer);
    return pointer;
}
void operator delete(void* pointer) noexcept {
    counted_free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
    counted_free(pointer);
}

BENCHMARK(BM_BarePugixml)
    ->Arg(40 << 10)
    ->Arg(600 << 10)
    ->Arg(10 << 20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FullParse)
    ->Arg(40 << 10)
    ->Arg(600 << 10)
    ->Arg(10 << 20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FullParsePeakMemory)->Arg(10 << 20)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

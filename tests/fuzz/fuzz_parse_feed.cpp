// libFuzzer target: any bytes through parse_feed; whatever is recovered must serialize to valid
// UTF-8 JSON that parses back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    newsmon::parsers::ParseOptions options;
    options.feed_url = "https://fuzz.example.test/feed/";
    options.max_bytes = 1U << 20;
    auto feed = newsmon::parsers::parse_feed(bytes, options);
    if (!feed)
        return 0;
    std::string json = newsmon::parsers::to_json(*feed, -1);
    std::string checked = json;
    auto repairs = newsmon::parsers::repair_utf8(checked);
    if (repairs.invalid_sequences != 0 || repairs.removed_controls != 0)
        std::abort(); // the JSON is not clean UTF-8
    if (nlohmann::json::parse(json, nullptr, false).is_discarded())
        std::abort(); // not JSON
    return 0;
}

// libFuzzer target: any bytes through read_opml. What it reads must be clean UTF-8, and once
// written out and read back it must be a fixed point: export, import and export again gives
// the same feeds, titles, sites and folders.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/opml.hpp"

namespace {

using newsmon::parsers::Opml;

bool clean_utf8(std::string text) {
    auto repairs = newsmon::parsers::repair_utf8(text);
    return repairs.invalid_sequences == 0 && repairs.removed_controls == 0;
}

bool same_feeds(const Opml& a, const Opml& b) {
    if (a.feeds.size() != b.feeds.size())
        return false;
    for (std::size_t i = 0; i < a.feeds.size(); ++i) {
        const auto& x = a.feeds[i];
        const auto& y = b.feeds[i];
        if (x.title != y.title || x.xml_url != y.xml_url || x.html_url != y.html_url ||
            x.category != y.category)
            return false;
    }
    return true;
}

Opml read_back(const Opml& opml) {
    auto again = newsmon::parsers::read_opml(newsmon::parsers::write_opml(opml.title, opml.feeds));
    if (!again)
        std::abort(); // what write_opml writes, read_opml must read
    return *again;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    newsmon::parsers::OpmlLimits limits;
    limits.max_bytes = 1U << 20;
    auto opml = newsmon::parsers::read_opml(bytes, limits);
    if (!opml)
        return 0;
    for (const auto& feed : opml->feeds)
        if (!clean_utf8(feed.title) || !clean_utf8(feed.xml_url) || !clean_utf8(feed.category))
            std::abort(); // text that is not UTF-8 reached the config
    Opml once = read_back(*opml);
    Opml twice = read_back(once);
    if (!same_feeds(once, twice))
        std::abort(); // export and import do not settle
    return 0;
}

// libFuzzer target: the fuzz input as a unit of markup repeated thousands of times, the shape
// that once overflowed the stack (20,000 nested elements in 140 KB). The first byte sets the
// depth (1,000 to 100,000 repetitions); the rest, up to 16 bytes, is the unit. The result goes
// through every walk over HTML and XML: the article extractor, html_to_text, the sanitizer and
// the feed parser (xhtml and CDATA content). None may crash; what comes out must be UTF-8.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/feed.hpp"
#include "newsmon/parsers/html.hpp"

namespace {

namespace parsers = newsmon::parsers;

constexpr std::size_t k_longest_unit = 16;

std::string repeated(std::string_view unit, std::size_t times) {
    std::string out;
    out.reserve(unit.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        out += unit;
    return out;
}

void check_utf8(const std::string& text) {
    if (!parsers::is_valid_utf8(text))
        std::abort();
}

void extract(const std::string& deep) {
    std::string page = "<!DOCTYPE html><html><head><title>Deep</title></head><body><h1>Deep</h1>" +
                       deep + "</body></html>";
    auto article = parsers::extract_article(page, {"https://fuzz.example.test/news/1.html", ""});
    if (!article)
        return;
    check_utf8(article->title);
    check_utf8(article->content_text);
    check_utf8(article->content_html);
}

void feeds(const std::string& deep) {
    std::string atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><entry>"
                       "<id>urn:deep</id><title>Deep</title><content type=\"xhtml\"><div "
                       "xmlns=\"http://www.w3.org/1999/xhtml\">" +
                       deep + "</div></content></entry></feed>";
    std::string rss = "<rss version=\"2.0\"><channel><title>Deep</title><item><title>Deep</title>"
                      "<description><![CDATA[" +
                      deep + "]]></description></item></channel></rss>";
    parsers::ParseOptions options;
    options.feed_url = "https://fuzz.example.test/feed/";
    for (const std::string* feed : {&atom, &rss}) {
        auto parsed = parsers::parse_feed(*feed, options);
        if (!parsed)
            continue;
        for (const auto& item : parsed->items)
            check_utf8(std::string(item.summary));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    std::size_t times = std::size_t{1000} * (1 + std::size_t{data[0]} % 100);
    std::string_view unit(reinterpret_cast<const char*>(data + 1),
                          std::min(size - 1, k_longest_unit));
    std::string deep = repeated(unit, times);
    extract(deep);
    // Text helpers take UTF-8 (the parsers decode first) and keep what they are given.
    std::string text = parsers::html_to_text(deep);
    std::string sanitized = parsers::sanitize_html(deep, "https://fuzz.example.test/");
    if (parsers::is_valid_utf8(deep)) {
        check_utf8(text);
        check_utf8(sanitized);
    }
    feeds(deep);
    return 0;
}

// libFuzzer target: any bytes as an article page. Whatever comes out must be clean UTF-8, and
// the HTML must hold no script.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto article =
        newsmon::parsers::extract_article(bytes, {"https://fuzz.example.test/news/1.html", ""});
    if (!article)
        return 0;
    for (const std::string* text :
         {&article->title, &article->content_text, &article->content_html, &article->author}) {
        if (!newsmon::parsers::is_valid_utf8(*text))
            std::abort();
    }
    if (article->content_html.find("<script") != std::string::npos)
        std::abort();
    return 0;
}

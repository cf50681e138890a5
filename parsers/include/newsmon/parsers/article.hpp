// The story in an article page: its body without menus, sidebars, share buttons, "read also"
// links, comments and footers, and what the page says about it (title, author, time, image,
// language, canonical URL). HTML5 parsing with gumbo; charset from the HTTP header, a byte
// order mark, <meta>, else detection.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace newsmon::parsers {

struct ExtractOptions {
    std::string page_url;     // base for relative links; empty when unknown
    std::string content_type; // the HTTP Content-Type, for its charset
    // Pages whose elements nest deeper are refused: parsing them costs minutes.
    std::size_t max_depth = 256;
};

struct ExtractedArticle {
    std::string title;
    std::string author;
    std::optional<std::chrono::sys_seconds> published;
    std::string lead_image;    // absolute URL, or empty
    std::string language;      // "en", "ru-RU", ...; empty when the page does not say
    std::string canonical_url; // <link rel="canonical">, else og:url; absolute, or empty
    std::string content_text;  // the body; paragraphs separated by a blank line
    std::string content_html;  // the body as sanitized HTML: p, h2-h4, blockquote, ul/li
    std::string encoding;      // what the bytes were read as
    std::vector<std::string> warnings;
};

struct ExtractError {
    std::string message;
};

// Fails when the bytes hold no text at all, or nest elements deeper than `max_depth`; a page
// without a recognisable body still gives its metadata and whatever text it has, with a warning.
[[nodiscard]] tl::expected<ExtractedArticle, ExtractError>
extract_article(std::string_view bytes, const ExtractOptions& options);

// The charset an HTML page declares in its first bytes (<meta charset>, or http-equiv
// Content-Type), if any.
[[nodiscard]] std::optional<std::string> html_declared_charset(std::string_view bytes);

} // namespace newsmon::parsers

// The two halves of article extraction: the body (scored blocks) and the page's metadata.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "html_document.hpp"

namespace newsmon::parsers::article {

struct Block {
    enum class Kind { paragraph, heading, quote, item };
    Kind kind = Kind::paragraph;
    std::string text;
    std::size_t link_chars = 0;     // characters of text inside links
    std::size_t emphasis_chars = 0; // characters of text in italics (<i>, <em>)
    bool caption = false;           // held a credit or caption element, left out
};

struct Body {
    std::vector<Block> blocks;
    std::string first_image; // src of the first image inside the body, as written
};

// The story's blocks: the best-scoring container and its worthy siblings, boilerplate left out.
// `page` is the page's own absolute address (its canonical URL, else where it was fetched), or
// empty: a link to it is not a link to another story.
[[nodiscard]] Body extract_body(const GumboNode* root, std::string_view page);

struct Metadata {
    std::string title;
    std::string author;
    std::optional<std::chrono::sys_seconds> published;
    std::string image;
    std::string language;
    std::string canonical;
    std::string description; // <meta name="description">, else og:description
};

// What the page's head, JSON-LD and markup say; URLs as written.
[[nodiscard]] Metadata read_metadata(const GumboNode* root);

// A date in a short line such as "07 November 2025 [10:10] - Today.Az"; nullopt when the line
// is not a date line.
[[nodiscard]] std::optional<std::chrono::sys_seconds> date_line(std::string_view text);

} // namespace newsmon::parsers::article

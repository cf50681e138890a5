// The two halves of article extraction: the body (scored blocks) and the page's metadata.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "html_document.hpp"
#include "newsmon/parsers/text.hpp"

namespace newsmon::parsers::article {

// Elements that start a block of their own: the story's paragraphs are cut at them.
[[nodiscard]] bool is_block_tag(GumboTag tag);

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

// A teaser of a listing (a section front, a tag page, a "more on this story" box): the largest
// block around a headline link that holds no other, with `prose` characters outside links.
struct Teaser {
    const GumboNode* node;
    std::size_t prose;
};

// The teasers of the page's listings. `holds_headline`: the containers of the page's <h1>,
// never a teaser; a link to `page` (the page's own absolute address, or empty) is not one.
[[nodiscard]] std::vector<Teaser>
find_teasers(const GumboNode* root, std::string_view page,
             const std::unordered_set<const GumboNode*>& holds_headline);

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

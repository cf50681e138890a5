// An HTML page as a gumbo tree, and the few things the article code asks of its nodes. The
// one place that owns gumbo's and uchardet's handles.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <gumbo.h>
#include <uchardet.h>

namespace newsmon::parsers::html {

struct GumboOutputDeleter {
    void operator()(GumboOutput* output) const {
        gumbo_destroy_output(&kGumboDefaultOptions, output);
    }
};
using Document = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

struct UchardetDeleter {
    void operator()(uchardet* detector) const { uchardet_delete(detector); }
};
using Detector = std::unique_ptr<uchardet, UchardetDeleter>;

// Parses UTF-8 text; gumbo never fails on input, however broken.
[[nodiscard]] Document parse(std::string_view utf8);

// The charset uchardet guesses for bytes that declare none; empty when it cannot tell.
[[nodiscard]] std::string detect_charset(std::string_view bytes);

[[nodiscard]] inline bool is_element(const GumboNode* node) {
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

[[nodiscard]] inline bool is_tag(const GumboNode* node, GumboTag tag) {
    return is_element(node) && node->v.element.tag == tag;
}

// The attribute's value, or an empty view.
[[nodiscard]] std::string_view attribute(const GumboNode* node, const char* name);

// Elements whose content is never text a reader sees: scripts, styles, forms, embedded
// objects and the like.
[[nodiscard]] bool is_invisible(const GumboNode* node);

// The text under `node`, as a reader sees it, appended to `out` with runs of white space
// collapsed to one space (no leading space when `out` is empty or already ends in one).
void append_text(const GumboNode* node, std::string& out);

// The same for a piece of text.
void append_collapsed(std::string_view text, std::string& out);

// Leading and trailing white space removed.
[[nodiscard]] std::string_view trim(std::string_view text);

} // namespace newsmon::parsers::html

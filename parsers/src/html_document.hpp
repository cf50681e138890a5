// An HTML page as a gumbo tree, and the few things the article code asks of its nodes. The
// one place that owns gumbo's and uchardet's handles.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gumbo.h>
#include <uchardet.h>

namespace newsmon::parsers::html {

// gumbo frees a tree recursively, a stack frame per level; a deep tree is made flat first.
void destroy(GumboOutput* output);

struct GumboOutputDeleter {
    void operator()(GumboOutput* output) const { destroy(output); }
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

// The node's children, or null for a node that has none (text, comments).
[[nodiscard]] inline const GumboVector* children_of(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT)
        return &node->v.document.children;
    return is_element(node) ? &node->v.element.children : nullptr;
}

// Visits `root` and the nodes under it in document order, with a stack of its own rather than
// recursion, since a page may nest elements deeper than the thread's stack allows. `visit`
// returns whether to go into the node's children.
template <typename Visit> void walk(const GumboNode* root, Visit&& visit) {
    std::vector<const GumboNode*> pending{root};
    while (!pending.empty()) {
        const GumboNode* node = pending.back();
        pending.pop_back();
        const GumboVector* children = visit(node) ? children_of(node) : nullptr;
        for (unsigned i = children ? children->length : 0; i-- > 0;)
            pending.push_back(static_cast<const GumboNode*>(children->data[i]));
    }
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

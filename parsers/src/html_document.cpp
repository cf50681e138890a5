#include "html_document.hpp"

#include <algorithm>

namespace newsmon::parsers::html {
namespace {

// Trees no deeper than this are freed by gumbo as they are.
constexpr std::size_t k_depth_gumbo_frees = 64;

std::size_t depth_of(const GumboNode* root) {
    std::size_t deepest = 0;
    std::vector<std::pair<const GumboNode*, std::size_t>> pending{{root, 0}};
    while (!pending.empty()) {
        auto [node, depth] = pending.back();
        pending.pop_back();
        deepest = std::max(deepest, depth);
        if (const GumboVector* children = children_of(node))
            for (unsigned i = 0; i < children->length; ++i)
                pending.emplace_back(static_cast<const GumboNode*>(children->data[i]), depth + 1);
    }
    return deepest;
}

// Makes every node a child of the document and leaves the others without children (their
// vectors stay allocated, for gumbo to free), so that gumbo's recursive free goes one level
// deep. The new list of children comes from gumbo's allocator, which frees it.
void flatten(GumboNode* document) {
    std::vector<GumboNode*> nodes;
    std::vector<GumboNode*> pending;
    GumboVector& top = document->v.document.children;
    for (unsigned i = 0; i < top.length; ++i)
        pending.push_back(static_cast<GumboNode*>(top.data[i]));
    while (!pending.empty()) {
        GumboNode* node = pending.back();
        pending.pop_back();
        nodes.push_back(node);
        if (!is_element(node))
            continue;
        GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            pending.push_back(static_cast<GumboNode*>(children.data[i]));
        children.length = 0;
    }
    const GumboOptions& options = kGumboDefaultOptions;
    void* data = options.allocator(options.userdata, nodes.size() * sizeof(void*));
    std::copy(nodes.begin(), nodes.end(), static_cast<void**>(data));
    options.deallocator(options.userdata, top.data);
    top.data = static_cast<void**>(data);
    top.length = static_cast<unsigned>(nodes.size());
    top.capacity = top.length;
}

} // namespace

void destroy(GumboOutput* output) {
    if (depth_of(output->document) > k_depth_gumbo_frees)
        flatten(output->document);
    gumbo_destroy_output(&kGumboDefaultOptions, output);
}

Document parse(std::string_view utf8) {
    return Document(gumbo_parse_with_options(&kGumboDefaultOptions, utf8.data(), utf8.size()));
}

std::string detect_charset(std::string_view bytes) {
    Detector detector(uchardet_new());
    if (!detector)
        return {};
    if (uchardet_handle_data(detector.get(), bytes.data(), bytes.size()) != 0)
        return {};
    uchardet_data_end(detector.get());
    const char* charset = uchardet_get_charset(detector.get());
    return charset ? std::string(charset) : std::string();
}

std::string_view attribute(const GumboNode* node, const char* name) {
    if (!is_element(node))
        return {};
    const GumboAttribute* found = gumbo_get_attribute(&node->v.element.attributes, name);
    return found ? std::string_view(found->value) : std::string_view();
}

bool is_invisible(const GumboNode* node) {
    if (!is_element(node))
        return node->type == GUMBO_NODE_COMMENT;
    switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_HEAD:
        return true;
    default:
        break;
    }
    return node->v.element.tag == GUMBO_TAG_UNKNOWN &&
           std::string_view(node->v.element.original_tag.data, node->v.element.original_tag.length)
               .starts_with("<amp-ad");
}

void append_collapsed(std::string_view text, std::string& out) {
    bool space = out.empty() || out.back() == ' ' || out.back() == '\n';
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        bool is_space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        // U+00A0 no-break space, as &nbsp; decodes, counts as white space too.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
            is_space = true;
            ++i;
        }
        if (is_space) {
            if (!space)
                out += ' ';
            space = true;
        } else {
            out += static_cast<char>(c);
            space = false;
        }
    }
}

void append_text(const GumboNode* node, std::string& out) {
    walk(node, [&](const GumboNode* each) {
        if (each->type == GUMBO_NODE_TEXT || each->type == GUMBO_NODE_WHITESPACE ||
            each->type == GUMBO_NODE_CDATA) {
            append_collapsed(each->v.text.text, out);
            return false;
        }
        if (!is_element(each) || is_invisible(each))
            return false;
        if (each->v.element.tag == GUMBO_TAG_BR) {
            append_collapsed(" ", out);
            return false;
        }
        return true;
    });
}

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace newsmon::parsers::html

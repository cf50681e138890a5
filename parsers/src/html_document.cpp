#include "html_document.hpp"

namespace newsmon::parsers::html {

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
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
        append_collapsed(node->v.text.text, out);
        return;
    }
    if (!is_element(node) || is_invisible(node))
        return;
    if (node->v.element.tag == GUMBO_TAG_BR) {
        append_collapsed(" ", out);
        return;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i)
        append_text(static_cast<const GumboNode*>(children.data[i]), out);
}

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace newsmon::parsers::html

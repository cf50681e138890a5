// libFuzzer target: a property of the sanitizer, checked with another HTML parser. Whatever
// the input, gumbo (an HTML5 parser written apart from newsmon's tokenizer) must find in the
// output only elements, attributes and URL schemes that html_policy allows, no comment, and
// the output sanitized again must not change.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "html_document.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/html_policy.hpp"

namespace {

namespace policy = newsmon::parsers::html_policy;

[[noreturn]] void violated(const std::string& what, const std::string& output) {
    std::fprintf(stderr, "sanitizer property violated: %s\noutput: %s\n", what.c_str(),
                 output.c_str());
    std::abort();
}

std::string element_name(const GumboElement& element) {
    if (element.tag != GUMBO_TAG_UNKNOWN)
        return gumbo_normalized_tagname(element.tag);
    GumboStringPiece original = element.original_tag;
    gumbo_tag_from_original_text(&original);
    std::string name(original.data ? original.data : "", original.length);
    for (char& c : name)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return name.empty() ? "(unnamed)" : name;
}

void check_element(const GumboElement& element, const std::string& output) {
    std::string name = element_name(element);
    if (name == "html" || name == "head" || name == "body")
        return; // the parser's own
    if (element.tag_namespace != GUMBO_NAMESPACE_HTML || !policy::keeps_element(name))
        violated("element <" + name + ">", output);
    for (unsigned i = 0; i < element.attributes.length; ++i) {
        const auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
        std::string attribute_name = attribute->name;
        if (!policy::keeps_attribute(name, attribute_name))
            violated("attribute " + attribute_name + " on <" + name + ">", output);
        if (policy::is_url_attribute(attribute_name) &&
            !policy::keeps_url(name, attribute_name, attribute->value))
            violated("URL " + std::string(attribute->value) + " in " + attribute_name, output);
    }
}

void check_tree(const GumboNode* root, const std::string& output) {
    std::vector<const GumboNode*> pending{root};
    while (!pending.empty()) {
        const GumboNode* node = pending.back();
        pending.pop_back();
        if (node->type == GUMBO_NODE_COMMENT || node->type == GUMBO_NODE_CDATA)
            violated("a comment or CDATA section", output);
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
            node->type != GUMBO_NODE_DOCUMENT)
            continue;
        const GumboVector& children = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children
                                                                        : node->v.element.children;
        if (node->type != GUMBO_NODE_DOCUMENT)
            check_element(node->v.element, output);
        for (unsigned i = 0; i < children.length; ++i)
            pending.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    // The first byte picks the base URL, as xml:base or the feed URL would give it.
    static const char* const k_bases[] = {"", "https://news.example.test/a/b.html",
                                          "javascript:alert(1)//", "data:text/html,x/"};
    std::string_view base = k_bases[data[0] % 4];
    std::string_view html(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string output = newsmon::parsers::sanitize_html(html, base);
    auto document = newsmon::parsers::html::parse(output);
    check_tree(document->document, output);
    if (newsmon::parsers::sanitize_html(output, base) != output)
        violated("not a fixed point: " + newsmon::parsers::sanitize_html(output, base), output);
    return 0;
}

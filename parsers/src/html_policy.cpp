#include "newsmon/parsers/html_policy.hpp"

#include <algorithm>
#include <string>

#include "text_internal.hpp"

namespace newsmon::parsers::html_policy {
namespace {

template <std::size_t N> bool in_sorted(const std::string_view (&names)[N], std::string_view name) {
    return std::binary_search(std::begin(names), std::end(names), name);
}

// Elements of article text: structure, phrasing, lists, tables, quotes, figures, media. No
// forms, frames, scripts, styles, embedded documents, foreign content (SVG, MathML) or
// elements whose content browsers read as raw text.
constexpr std::string_view k_elements[] = {
    "a",        "abbr",       "address", "article", "aside",   "audio", "b",      "bdi",
    "bdo",      "blockquote", "br",      "caption", "center",  "cite",  "code",   "col",
    "colgroup", "dd",         "del",     "details", "dfn",     "div",   "dl",     "dt",
    "em",       "figcaption", "figure",  "footer",  "h1",      "h2",    "h3",     "h4",
    "h5",       "h6",         "header",  "hr",      "i",       "img",   "ins",    "kbd",
    "li",       "main",       "mark",    "ol",      "p",       "pre",   "q",      "rp",
    "rt",       "ruby",       "s",       "samp",    "section", "small", "source", "span",
    "strike",   "strong",     "sub",     "summary", "sup",     "table", "tbody",  "td",
    "tfoot",    "th",         "thead",   "time",    "tr",      "tt",    "u",      "ul",
    "var",      "video",      "wbr",
};

constexpr std::string_view k_global_attributes[] = {"dir", "lang", "title"};

struct ElementAttributes {
    std::string_view element;
    std::string_view attributes[8];
};

// Sorted by element; the attributes of each unsorted (a few at most).
constexpr ElementAttributes k_element_attributes[] = {
    {"a", {"href", "hreflang"}},
    {"audio", {"controls", "loop", "muted", "preload", "src"}},
    {"blockquote", {"cite"}},
    {"col", {"span"}},
    {"colgroup", {"span"}},
    {"del", {"cite", "datetime"}},
    {"details", {"open"}},
    {"img", {"alt", "height", "src", "width"}},
    {"ins", {"cite", "datetime"}},
    {"li", {"value"}},
    {"ol", {"reversed", "start", "type"}},
    {"q", {"cite"}},
    {"source", {"src", "type"}},
    {"td", {"align", "colspan", "headers", "rowspan", "valign"}},
    {"th", {"abbr", "align", "colspan", "headers", "rowspan", "scope", "valign"}},
    {"time", {"datetime"}},
    {"ul", {"type"}},
    {"video", {"controls", "height", "loop", "muted", "poster", "preload", "src", "width"}},
};

constexpr std::string_view k_url_attributes[] = {"cite", "href", "poster", "src"};

static_assert(std::is_sorted(std::begin(k_elements), std::end(k_elements)));
static_assert(std::is_sorted(std::begin(k_global_attributes), std::end(k_global_attributes)));
static_assert(std::is_sorted(std::begin(k_url_attributes), std::end(k_url_attributes)));
static_assert(std::is_sorted(std::begin(k_element_attributes), std::end(k_element_attributes),
                             [](const ElementAttributes& a, const ElementAttributes& b) {
                                 return a.element < b.element;
                             }));

// What the URL standard reads as the scheme: leading C0 controls and spaces skipped, tabs and
// line breaks ignored anywhere; "" when there is none (a relative reference).
std::string scheme_of(std::string_view url) {
    std::size_t i = 0;
    while (i < url.size() && static_cast<unsigned char>(url[i]) <= 0x20)
        ++i;
    std::string scheme;
    for (; i < url.size(); ++i) {
        char c = url[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':')
            return scheme;
        bool scheme_char =
            is_ascii_alpha(c) ||
            (!scheme.empty() && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!scheme_char)
            return "";
        scheme.push_back(ascii_lower(c));
    }
    return "";
}

bool is_inline_picture(std::string_view url) {
    std::string head;
    for (char c : url) {
        if (head.size() == 16)
            break;
        if (c != '\t' && c != '\n' && c != '\r' && static_cast<unsigned char>(c) > 0x20)
            head.push_back(ascii_lower(c));
    }
    for (std::string_view type :
         {"data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"})
        if (head.starts_with(type) && head.size() > type.size() &&
            (head[type.size()] == ';' || head[type.size()] == ','))
            return true;
    return false;
}

} // namespace

bool keeps_element(std::string_view name) {
    // The commonest tags of news markup, answered without a search.
    if (name == "p" || name == "a" || name == "br" || name == "em" || name == "strong")
        return true;
    return in_sorted(k_elements, name);
}

bool keeps_attribute(std::string_view element, std::string_view attribute) {
    if (in_sorted(k_global_attributes, attribute))
        return true;
    auto found = std::lower_bound(
        std::begin(k_element_attributes), std::end(k_element_attributes), element,
        [](const ElementAttributes& entry, std::string_view key) { return entry.element < key; });
    if (found == std::end(k_element_attributes) || found->element != element)
        return false;
    return std::find(std::begin(found->attributes), std::end(found->attributes), attribute) !=
               std::end(found->attributes) &&
           !attribute.empty();
}

bool is_url_attribute(std::string_view attribute) {
    return in_sorted(k_url_attributes, attribute);
}

bool keeps_url(std::string_view element, std::string_view attribute, std::string_view url) {
    std::string scheme = scheme_of(url);
    if (scheme.empty() || scheme == "http" || scheme == "https")
        return true;
    if (scheme == "mailto")
        return attribute == "href";
    if (scheme == "data")
        return element == "img" && attribute == "src" && is_inline_picture(url);
    return false;
}

} // namespace newsmon::parsers::html_policy

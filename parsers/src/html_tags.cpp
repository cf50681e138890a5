#include "html_tags.hpp"

#include <algorithm>

#include "text_internal.hpp"

namespace newsmon::parsers::html {
namespace {

// The index just past the '>' that closes the tag opened at `at`, honouring quoted values.
std::size_t tag_end(std::string_view html, std::size_t at) {
    char quote = 0;
    for (std::size_t i = at + 1; i < html.size(); ++i) {
        char c = html[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return html.size();
}

} // namespace

Tag read_tag(std::string_view html, std::size_t at) {
    Tag tag;
    std::size_t i = at + 1;
    if (html[i] == '/') {
        tag.closing = true;
        ++i;
    }
    while (i < html.size() && (is_ascii_alpha(html[i]) || (html[i] >= '0' && html[i] <= '9') ||
                               html[i] == ':' || html[i] == '-'))
        tag.name.push_back(ascii_lower(html[i++]));
    tag.end = tag_end(html, at);
    std::size_t inner_end =
        tag.end > 0 && tag.end <= html.size() && html[tag.end - 1] == '>' ? tag.end - 1 : tag.end;
    tag.self_closing = inner_end > i && html[inner_end - 1] == '/';
    tag.attributes = html.substr(i, inner_end - i - (tag.self_closing ? 1 : 0));
    return tag;
}

std::size_t skip_markup_declaration(std::string_view html, std::size_t at) {
    if (html.substr(at, 4) == "<!--") {
        std::size_t end = html.find("-->", at + 4);
        return end == std::string_view::npos ? html.size() : end + 3;
    }
    return tag_end(html, at);
}

std::size_t skip_element_content(std::string_view html, std::size_t from, std::string_view name) {
    for (std::size_t at = html.find("</", from); at != std::string_view::npos;
         at = html.find("</", at + 2)) {
        std::string_view candidate = html.substr(at + 2, name.size());
        bool same = candidate.size() == name.size();
        for (std::size_t i = 0; same && i < name.size(); ++i)
            same = ascii_lower(candidate[i]) == name[i];
        if (same)
            return tag_end(html, at);
    }
    return html.size();
}

} // namespace newsmon::parsers::html

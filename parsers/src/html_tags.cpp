#include "html_tags.hpp"

#include <algorithm>

#include "newsmon/parsers/html.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers::html {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD, for NUL as browsers do

void append_name_char(std::string& name, char c) {
    if (c == '\0')
        name.append(k_replacement);
    else
        name.push_back(ascii_lower(c));
}

// The tokenizer's states from "before attribute name" to the end of the tag (WHATWG HTML
// 13.2.5.32-13.2.5.40), as one loop over the input.
class AttributeScanner {
public:
    AttributeScanner(std::string_view html, std::vector<Attribute>* out)
        : m_html(html), m_out(out) {}

    // Reads from `i` (just after the tag name) to the end of the tag; fills `tag`.
    void scan(std::size_t i, Tag& tag) {
        std::size_t attributes_start = i;
        while (i < m_html.size()) {
            char c = m_html[i];
            if (is_html_space(c)) {
                ++i;
            } else if (c == '>') {
                return finish(tag, attributes_start, i, i + 1);
            } else if (c == '/') {
                if (i + 1 < m_html.size() && m_html[i + 1] == '>') {
                    tag.self_closing = true;
                    return finish(tag, attributes_start, i, i + 2);
                }
                ++i; // a stray '/' is skipped like white space
            } else {
                i = attribute(i);
            }
        }
        tag.complete = false;
        finish(tag, attributes_start, m_html.size(), m_html.size());
    }

private:
    void finish(Tag& tag, std::size_t start, std::size_t inner_end, std::size_t end) {
        tag.attributes = m_html.substr(start, inner_end - start);
        tag.end = end;
    }

    // One attribute from `i`, which is neither white space, '/' nor '>'. A leading '=' belongs
    // to the name. Returns where the scan goes on.
    std::size_t attribute(std::size_t i) {
        Attribute attribute;
        append_name_char(attribute.name, m_html[i++]);
        while (i < m_html.size() && !is_html_space(m_html[i]) && m_html[i] != '/' &&
               m_html[i] != '>' && m_html[i] != '=')
            append_name_char(attribute.name, m_html[i++]);
        std::size_t after_name = i;
        while (i < m_html.size() && is_html_space(m_html[i]))
            ++i;
        if (i >= m_html.size() || m_html[i] != '=') {
            keep(std::move(attribute));
            return after_name;
        }
        ++i;
        while (i < m_html.size() && is_html_space(m_html[i]))
            ++i;
        attribute.has_value = true;
        std::size_t start = i, end = i;
        if (i < m_html.size() && (m_html[i] == '"' || m_html[i] == '\'')) {
            char quote = m_html[i];
            start = i + 1;
            end = m_html.find(quote, start);
            if (end == std::string_view::npos)
                return m_html.size(); // the input ends inside the value: no tag
            i = end + 1;
        } else {
            while (i < m_html.size() && !is_html_space(m_html[i]) && m_html[i] != '>')
                ++i;
            end = i;
        }
        if (m_out)
            attribute.value = value_of(m_html.substr(start, end - start));
        keep(std::move(attribute));
        return i;
    }

    static std::string value_of(std::string_view raw) {
        std::string value = decode_entities(raw);
        for (std::size_t nul = value.find('\0'); nul != std::string::npos;
             nul = value.find('\0', nul))
            value.replace(nul, 1, k_replacement);
        return value;
    }

    void keep(Attribute attribute) {
        if (!m_out)
            return;
        for (const auto& earlier : *m_out)
            if (earlier.name == attribute.name)
                return;
        m_out->push_back(std::move(attribute));
    }

    std::string_view m_html;
    std::vector<Attribute>* m_out;
};

// Just past the first '>' from `from`, or the end of input.
std::size_t past_next_gt(std::string_view html, std::size_t from) {
    std::size_t gt = html.find('>', from);
    return gt == std::string_view::npos ? html.size() : gt + 1;
}

} // namespace

Tag read_tag(std::string_view html, std::size_t at, std::vector<Attribute>* attributes) {
    Tag tag;
    std::size_t i = at + 1;
    if (i < html.size() && html[i] == '/') {
        tag.closing = true;
        ++i;
    }
    while (i < html.size() && !is_html_space(html[i]) && html[i] != '/' && html[i] != '>')
        append_name_char(tag.name, html[i++]);
    if (attributes)
        attributes->clear();
    AttributeScanner(html, attributes).scan(i, tag);
    return tag;
}

std::size_t skip_markup_declaration(std::string_view html, std::size_t at) {
    if (html.substr(at, 4) == "<!--") {
        std::size_t body = at + 4;
        // "<!-->" and "<!--->" are whole (empty) comments.
        if (html.substr(body, 1) == ">")
            return body + 1;
        if (html.substr(body, 2) == "->")
            return body + 2;
        for (std::size_t dashes = html.find("--", body); dashes != std::string_view::npos;
             dashes = html.find("--", dashes + 1)) {
            if (html.substr(dashes + 2, 1) == ">")
                return dashes + 3;
            if (html.substr(dashes + 2, 2) == "!>")
                return dashes + 4;
        }
        return html.size();
    }
    return past_next_gt(html, at + 1);
}

std::size_t skip_element_content(std::string_view html, std::size_t from, std::string_view name) {
    for (std::size_t at = html.find("</", from); at != std::string_view::npos;
         at = html.find("</", at + 2)) {
        std::size_t after = at + 2 + name.size();
        if (after > html.size())
            break;
        std::string_view candidate = html.substr(at + 2, name.size());
        bool same = true;
        for (std::size_t i = 0; same && i < name.size(); ++i)
            same = ascii_lower(candidate[i]) == name[i];
        if (same && (after == html.size() || is_html_space(html[after]) || html[after] == '/' ||
                     html[after] == '>'))
            return read_tag(html, at).end;
    }
    return html.size();
}

} // namespace newsmon::parsers::html

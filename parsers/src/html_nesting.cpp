#include "html_nesting.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace newsmon::parsers::html {
namespace {

using Names = std::initializer_list<std::string_view>;

bool in(std::string_view name, Names names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_void(std::string_view name) {
    return in(name,
              {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
               "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"});
}

// Elements whose content is text up to their end tag: tags inside do not nest. Not
// <noscript>, whose content gumbo parses as elements.
bool is_raw_text(std::string_view name) {
    return in(name,
              {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"});
}

// Start tags that close an open <p> first.
bool closes_p(std::string_view name) {
    return in(name, {"address", "article", "aside", "blockquote", "center",     "details", "dialog",
                     "dir",     "div",     "dl",    "fieldset",   "figcaption", "figure",  "footer",
                     "header",  "hgroup",  "main",  "menu",       "nav",        "ol",      "p",
                     "section", "summary", "ul",    "h1",         "h2",         "h3",      "h4",
                     "h5",      "h6",      "pre",   "listing",    "form",       "table",   "li",
                     "dd",      "dt"});
}

// Where the search for an open <p> stops ("button scope").
const Names k_scope_markers = {"applet",  "caption", "html",     "table",  "td",  "th",
                               "marquee", "object",  "template", "button", "svg", "math"};

bool is_scope_marker(std::string_view name) {
    return in(name, k_scope_markers);
}

// Elements a new <li>, <dd> or <dt> looks past for the one it closes.
bool is_phrasing(std::string_view name) {
    return in(name, {"a",   "abbr", "b",     "bdi",   "bdo",     "cite",   "code", "data", "del",
                     "dfn", "em",   "font",  "i",     "ins",     "kbd",    "mark", "nobr", "q",
                     "s",   "samp", "small", "span",  "strike",  "strong", "sub",  "sup",  "time",
                     "tt",  "u",    "var",   "label", "address", "div",    "p"});
}

class Scan {
public:
    Scan(std::string_view html, std::size_t limit) : m_html(html), m_limit(limit) {}

    bool too_deep() {
        std::size_t at = 0;
        while ((at = m_html.find('<', at)) != std::string_view::npos) {
            at = tag_at(at);
            if (m_open.size() > m_limit)
                return true;
        }
        return false;
    }

private:
    // Reads the markup starting at `at` (a '<'); returns where scanning goes on.
    std::size_t tag_at(std::size_t at) {
        std::string_view rest = m_html.substr(at);
        if (rest.starts_with("<!--"))
            return skip_past(at + 4, "-->");
        if (rest.starts_with("<!") || rest.starts_with("<?"))
            return skip_past(at + 2, ">");
        bool end_tag = rest.starts_with("</");
        std::size_t name_at = at + (end_tag ? 2 : 1);
        if (name_at >= m_html.size() || !is_alpha(m_html[name_at]))
            return at + 1;
        std::string name = name_from(name_at);
        auto [close, self_closing] = tag_end(name_at + name.size());
        if (end_tag)
            pop_to(name);
        else
            open(name, self_closing);
        if (!end_tag && is_raw_text(name))
            return raw_text_end(close, name);
        if (!end_tag && name == "plaintext")
            return m_html.size();
        return close;
    }

    void open(const std::string& name, bool self_closing) {
        if (is_void(name) || (self_closing && m_foreign > 0))
            return;
        if (closes_p(name))
            close_p();
        if (name == "li")
            close_item({"li"});
        else if (name == "dd" || name == "dt")
            close_item({"dd", "dt"});
        else if (name == "td" || name == "th")
            close_within({"td", "th"}, {"tr", "table"});
        else if (name == "tr")
            close_within({"tr"}, {"table"});
        else if (name == "tbody" || name == "thead" || name == "tfoot")
            close_within({"tbody", "thead", "tfoot"}, {"table"});
        else if (name == "a" || name == "button" || name == "option" || name == "nobr")
            close_within({name}, k_scope_markers);
        else if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
                 !m_open.empty() && is_heading(m_open.back()))
            pop();
        if (is_raw_text(name))
            return; // its end tag closes it at once
        push(name);
    }

    static bool is_heading(const std::string& name) {
        return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
    }

    void close_p() {
        for (std::size_t i = m_open.size(); i-- > 0;) {
            if (m_open[i] == "p") {
                pop_from(i);
                return;
            }
            if (is_scope_marker(m_open[i]))
                return;
        }
    }

    void close_item(Names names) {
        for (std::size_t i = m_open.size(); i-- > 0;) {
            if (in(m_open[i], names)) {
                pop_from(i);
                return;
            }
            if (!is_phrasing(m_open[i]))
                return;
        }
    }

    void close_within(Names names, Names boundaries) {
        for (std::size_t i = m_open.size(); i-- > 0;) {
            if (in(m_open[i], names)) {
                pop_from(i);
                return;
            }
            if (in(m_open[i], boundaries))
                return;
        }
    }

    void pop_to(const std::string& name) {
        for (std::size_t i = m_open.size(); i-- > 0;)
            if (m_open[i] == name) {
                pop_from(i);
                return;
            }
    }

    void push(const std::string& name) {
        m_open.push_back(name);
        m_foreign += name == "svg" || name == "math" ? 1 : 0;
    }

    void pop() { pop_from(m_open.size() - 1); }

    void pop_from(std::size_t index) {
        while (m_open.size() > index) {
            m_foreign -= m_open.back() == "svg" || m_open.back() == "math" ? 1 : 0;
            m_open.pop_back();
        }
    }

    static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    std::string name_from(std::size_t at) const {
        std::string name;
        for (; at < m_html.size(); ++at) {
            char c = m_html[at];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' ||
                c == '>')
                break;
            name += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        }
        return name;
    }

    // Past the '>' that ends a tag whose attributes start at `at`, quotes respected; and
    // whether the tag ends in "/>".
    std::pair<std::size_t, bool> tag_end(std::size_t at) const {
        char quote = 0;
        for (; at < m_html.size(); ++at) {
            char c = m_html[at];
            if (quote) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return {at + 1, m_html[at - 1] == '/'};
            }
        }
        return {m_html.size(), false};
    }

    std::size_t skip_past(std::size_t at, std::string_view end) const {
        std::size_t found = m_html.find(end, at);
        return found == std::string_view::npos ? m_html.size() : found + end.size();
    }

    // Past the end tag of a raw text element, matched without regard to case.
    std::size_t raw_text_end(std::size_t at, const std::string& name) const {
        while ((at = m_html.find("</", at)) != std::string_view::npos) {
            if (name_from(at + 2) == name)
                return at;
            at += 2;
        }
        return m_html.size();
    }

    std::string_view m_html;
    std::size_t m_limit;
    std::vector<std::string> m_open;
    int m_foreign = 0; // open <svg> and <math>, where "/>" closes an element
};

} // namespace

bool nests_deeper_than(std::string_view html, std::size_t limit) {
    return Scan(html, limit).too_deep();
}

} // namespace newsmon::parsers::html

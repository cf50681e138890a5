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

// Elements whose end tag only closes what is open inside them ("default scope").
const Names k_default_scope = {"applet", "caption", "html",   "table",   "td",
                               "th",     "marquee", "object", "template"};

// Elements gumbo reopens when something closes them implicitly ("active formatting elements").
bool is_formatting(std::string_view name) {
    return in(name, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
                     "strong", "tt", "u"});
}

// Elements whose closing forgets the formatting elements opened inside them ("markers").
bool is_marker(std::string_view name) {
    return in(name, {"applet", "object", "marquee", "template", "td", "th", "caption"});
}

bool is_table_part(std::string_view name) {
    return in(name, {"table", "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"});
}

// Elements an end tag of another, ordinary element (a <span>) does not close: it is ignored.
bool is_special(std::string_view name) {
    return closes_p(name) || is_table_part(name) ||
           in(name, {"applet", "body", "button", "frameset", "head", "html", "marquee", "noscript",
                     "object", "select", "template", "svg", "math"});
}

// Where the search for the element an end tag closes stops: there the end tag is ignored.
bool stops_end_tag(std::string_view open, std::string_view name) {
    if (name == "table")
        return in(open, {"html", "template"});
    if (in(name, {"tbody", "thead", "tfoot", "tr", "caption"}))
        return in(open, {"table", "html", "template"});
    if (name == "td" || name == "th")
        return in(open, {"tr", "table", "html", "template"});
    if (name == "li" && (open == "ul" || open == "ol"))
        return true;
    if (is_formatting(name) || is_special(name))
        return in(open, k_default_scope);
    return is_special(open);
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
        while (at < m_html.size()) {
            std::size_t tag = std::min(m_html.find('<', at), m_html.size());
            if (m_html.substr(at, tag - at).find_first_not_of(" \t\r\n\f") !=
                std::string_view::npos)
                reconstruct(); // text reopens the formatting elements closed implicitly
            at = tag < m_html.size() ? tag_at(tag) : tag;
            // What waits to be reopened counts: the next text opens it all.
            if (m_open.size() + m_reopen.size() > m_limit)
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
        std::size_t attributes_at = name_at + name.size();
        auto [close, self_closing] = tag_end(attributes_at);
        if (end_tag)
            pop_to(name);
        else
            open(name, m_html.substr(attributes_at, close - 1 - attributes_at), self_closing);
        if (!end_tag && is_raw_text(name))
            return raw_text_end(close, name);
        if (!end_tag && name == "plaintext")
            return m_html.size();
        return close;
    }

    void open(const std::string& name, std::string_view attributes, bool self_closing) {
        if (is_void(name) || (self_closing && m_foreign > 0))
            return;
        // Outside a table the tree builder ignores the parts of one (they close nothing).
        if (is_table_part(name) && name != "table" && !inside_table())
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
        if (!closes_p(name) && !is_table_part(name))
            reconstruct();
        push(name, attributes);
    }

    bool inside_table() const {
        return std::find(m_open.begin(), m_open.end(), "table") != m_open.end() ||
               std::find(m_open.begin(), m_open.end(), "template") != m_open.end();
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

    // An end tag closes its element when nothing between stops it; gumbo ignores </body> and
    // </html> until the end. A formatting element closed already is forgotten.
    void pop_to(const std::string& name) {
        if (name == "body" || name == "html")
            return;
        for (std::size_t i = m_open.size(); i-- > 0;) {
            if (m_open[i] == name) {
                pop_from(i);
                return;
            }
            if (stops_end_tag(m_open[i], name))
                break;
        }
        for (std::size_t i = m_reopen.size(); i-- > 0;)
            if (name_of(m_reopen[i]) == name) {
                m_reopen.erase(m_reopen.begin() + static_cast<std::ptrdiff_t>(i));
                return;
            }
    }

    static std::string_view name_of(std::string_view key) { return key.substr(0, key.find(' ')); }

    void push(const std::string& name, std::string_view attributes) {
        Entry entry{{}, false, m_reopen.size()};
        if (is_formatting(name)) {
            entry.key = name + ' ' + std::string(attributes);
            forget_fourth(entry.key);
            entry.listed = true;
        }
        m_open.push_back(name);
        m_entries.push_back(std::move(entry));
        m_foreign += name == "svg" || name == "math" ? 1 : 0;
    }

    // gumbo keeps at most three identical formatting elements to reopen ("Noah's Ark").
    void forget_fourth(const std::string& key) {
        auto same = [&](const std::string& other) { return other == key; };
        auto listed = std::count_if(m_entries.begin(), m_entries.end(),
                                    [&](const Entry& e) { return e.listed && e.key == key; });
        if (std::count_if(m_reopen.begin(), m_reopen.end(), same) + listed < 3)
            return;
        if (auto found = std::find_if(m_reopen.begin(), m_reopen.end(), same);
            found != m_reopen.end()) {
            m_reopen.erase(found);
            return;
        }
        for (auto& entry : m_entries)
            if (entry.listed && entry.key == key) {
                entry.listed = false;
                return;
            }
    }

    // Formatting elements closed implicitly are opened again where text or an inline element
    // follows: "<div><b><i></div>x" nests b and i again, however many times it repeats.
    void reconstruct() {
        for (auto& key : m_reopen) {
            m_open.emplace_back(name_of(key));
            m_entries.push_back({std::move(key), true, 0});
        }
        m_reopen.clear();
    }

    void pop() { pop_from(m_open.size() - 1); }

    // Closes the element at `index` and those inside it; the formatting elements inside are
    // to be reopened, unless a marker (a table cell) inside `index` forgets them.
    void pop_from(std::size_t index) {
        std::size_t end = m_open.size();
        for (std::size_t i = index; i < m_open.size(); ++i)
            if (is_marker(m_open[i])) {
                m_reopen.resize(std::min(m_reopen.size(), m_entries[i].reopen_mark));
                end = i;
                break;
            }
        for (std::size_t i = index + 1; i < end; ++i)
            if (m_entries[i].listed)
                m_reopen.push_back(m_entries[i].key);
        while (m_open.size() > index) {
            m_foreign -= m_open.back() == "svg" || m_open.back() == "math" ? 1 : 0;
            m_open.pop_back();
            m_entries.pop_back();
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
    // What gumbo remembers of an open element.
    struct Entry {
        std::string key;         // a formatting element's name and attributes
        bool listed;             // a formatting element gumbo would reopen
        std::size_t reopen_mark; // m_reopen's size when it opened: a marker forgets the rest
    };

    std::vector<std::string> m_open;
    std::vector<Entry> m_entries;      // beside m_open
    std::vector<std::string> m_reopen; // formatting elements closed implicitly, to reopen
    int m_foreign = 0;                 // open <svg> and <math>, where "/>" closes an element
};

} // namespace

bool nests_deeper_than(std::string_view html, std::size_t limit) {
    return Scan(html, limit).too_deep();
}

} // namespace newsmon::parsers::html

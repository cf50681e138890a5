// Plain text from HTML fragments, and the streaming sanitizer for content_html.
#include <algorithm>
#include <array>
#include <bit>
#include <optional>

#include "byte_scan.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {

void append_utf8(std::string& out, char32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

namespace {

// A tag as the tokenizer saw it: name lower-cased, attributes as raw text.
struct Tag {
    std::string name;
    bool closing = false;
    bool self_closing = false;
    std::string_view attributes;
    std::size_t end = 0; // index just past '>'
};

bool starts_tag(std::string_view html, std::size_t at) {
    if (at + 1 >= html.size())
        return false;
    char next = html[at + 1];
    return is_ascii_alpha(next) || next == '/' || next == '!' || next == '?';
}

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

// Skips a comment or declaration starting at `at`; returns the index after it.
std::size_t skip_markup_declaration(std::string_view html, std::size_t at) {
    if (html.substr(at, 4) == "<!--") {
        std::size_t end = html.find("-->", at + 4);
        return end == std::string_view::npos ? html.size() : end + 3;
    }
    return tag_end(html, at);
}

// Index just past "</name ...>", or the end of input when it never comes.
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

bool in_list(std::string_view name, std::initializer_list<std::string_view> names) {
    for (auto candidate : names)
        if (candidate == name)
            return true;
    return false;
}

// What the text extractor and the sanitizer do with an element.
enum class TagRole : unsigned char {
    inline_markup, // kept; no word break
    block,         // kept; separates words in plain text
    drop_content,  // removed with everything inside it
    drop_tag,      // the tag goes, its content stays
};

TagRole role_of(std::string_view name) {
    // The commonest tags in news markup, answered without a search.
    if (name.size() == 1)
        return name[0] == 'p' ? TagRole::block : TagRole::inline_markup;
    if (name == "br" || name == "li" || name == "div")
        return TagRole::block;
    if (name == "em" || name == "strong" || name == "span")
        return TagRole::inline_markup;
    struct Entry {
        std::string_view name;
        TagRole role;
    };
    using enum TagRole;
    static constexpr Entry k_roles[] = {
        // sorted by name
        {"address", block},
        {"applet", drop_content},
        {"article", block},
        {"aside", block},
        {"base", drop_tag},
        {"blockquote", block},
        {"body", drop_tag},
        {"br", block},
        {"button", drop_content},
        {"dd", block},
        {"div", block},
        {"dt", block},
        {"embed", drop_content},
        {"figcaption", block},
        {"figure", block},
        {"footer", block},
        {"form", drop_tag},
        {"frame", drop_content},
        {"frameset", drop_content},
        {"h1", block},
        {"h2", block},
        {"h3", block},
        {"h4", block},
        {"h5", block},
        {"h6", block},
        {"head", drop_content},
        {"header", block},
        {"hr", block},
        {"html", drop_tag},
        {"iframe", drop_content},
        {"img", block},
        {"input", drop_tag},
        {"li", block},
        {"link", drop_tag},
        {"math", drop_content},
        {"meta", drop_tag},
        {"noembed", drop_content},
        {"noframes", drop_content},
        {"noscript", drop_content},
        {"object", drop_content},
        {"ol", block},
        {"option", drop_tag},
        {"p", block},
        {"param", drop_tag},
        {"pre", block},
        {"script", drop_content},
        {"section", block},
        {"select", drop_content},
        {"source", drop_tag},
        {"style", drop_content},
        {"svg", drop_content},
        {"table", block},
        {"td", block},
        {"template", drop_content},
        {"textarea", drop_content},
        {"th", block},
        {"title", drop_content},
        {"tr", block},
        {"ul", block},
    };
    auto found =
        std::lower_bound(std::begin(k_roles), std::end(k_roles), name,
                         [](const Entry& entry, std::string_view key) { return entry.name < key; });
    if (found != std::end(k_roles) && found->name == name)
        return found->role;
    return inline_markup;
}

// A tag without attributes written in lower case, "<p>" or "</p>": most tags of news
// markup, read without building a Tag.
struct PlainTag {
    std::string_view name;
    bool closing = false;
    std::size_t end = 0; // just past '>'
    TagRole role = TagRole::inline_markup;
};

std::optional<PlainTag> plain_tag(std::string_view html, std::size_t at) {
    bool closing = at + 1 < html.size() && html[at + 1] == '/';
    std::size_t start = at + 1 + (closing ? 1 : 0);
    std::size_t end = start;
    while (end < html.size() &&
           ((html[end] >= 'a' && html[end] <= 'z') || (html[end] >= '0' && html[end] <= '9')))
        ++end;
    if (end == start || end >= html.size() || html[end] != '>' || html[start] < 'a')
        return std::nullopt; // also no name that starts with a digit: "<1>" is text
    std::string_view name = html.substr(start, end - start);
    return PlainTag{name, closing, end + 1, role_of(name)};
}

bool drops_content(std::string_view name) {
    return role_of(name) == TagRole::drop_content;
}
bool separates_words(std::string_view name) {
    return role_of(name) == TagRole::block;
}

// "…&nbs" or "…&n..." at the very end: a reference the feed cut in half. "R&D" is not one:
// without an ellipsis after it, only a lower-case beginning of a real name counts.
void drop_truncated_reference(std::string& text) {
    std::size_t amp = text.rfind('&');
    if (amp == std::string::npos || text.size() - amp > 40)
        return;
    std::string_view tail = std::string_view(text).substr(amp + 1);
    std::size_t i = 0;
    while (i < tail.size() &&
           (is_ascii_alpha(tail[i]) || (tail[i] >= '0' && tail[i] <= '9') || tail[i] == '#'))
        ++i;
    std::string_view fragment = tail.substr(0, i);
    std::string_view after = tail.substr(i);
    bool ellipsis = after == "..." || after == "\xE2\x80\xA6";
    bool lower_case = !fragment.empty() && fragment[0] >= 'a' && fragment[0] <= 'z';
    bool cut = ellipsis || (after.empty() && (fragment.starts_with('#') ||
                                              (lower_case && is_reference_prefix(fragment))));
    if (!cut)
        return;
    std::string kept(after);
    text.resize(amp);
    text += kept;
}

// How many bytes from `p` can be copied as they are: no C0 control, no 0xC2 (which may
// start a no-break space), no stop byte, no second space in a row.
std::size_t clean_run(const char* p, const char* end, char stop, char other_stop) {
    auto flagged = [&](const char* at) { // the 16 positions from `at`; reads at[16] too
        scan::Block block = scan::load(at);
        scan::Block next = scan::load(at + 1);
        return (block < 0x20) | (block == 0xC2) | (block == static_cast<unsigned char>(stop)) |
               (block == static_cast<unsigned char>(other_stop)) | ((block == ' ') & (next == ' '));
    };
    auto is_flagged = [&](const char* at) {
        auto c = static_cast<unsigned char>(*at);
        return c < 0x20 || c == 0xC2 || *at == stop || *at == other_stop ||
               (c == ' ' && at + 1 < end && at[1] == ' ');
    };
    const char* start = p;
    constexpr auto k_width = static_cast<std::ptrdiff_t>(scan::k_block);
    if (end - p <= k_width) { // short: byte by byte
        while (p < end && !is_flagged(p))
            ++p;
        return static_cast<std::size_t>(p - start);
    }
    for (; end - p > k_width; p += k_width)
        if (std::size_t at = scan::first_set(flagged(p)); at < scan::k_block)
            return static_cast<std::size_t>(p - start) + at;
    // The last bytes: one window ending one byte early (it reads a byte ahead), with the
    // positions already seen masked off, then the very last byte.
    const char* window = end - k_width - 1;
    auto seen = static_cast<unsigned>(p - window);
    unsigned bits = scan::bits_of(flagged(window)) & (0xFFFFU << seen);
    if (bits != 0)
        return static_cast<std::size_t>(window - start) +
               static_cast<std::size_t>(std::countr_zero(bits));
    return static_cast<std::size_t>(end - start) - (is_flagged(end - 1) ? 1 : 0);
}

// Plain text written as it is found, white space collapsed on the way: runs of ASCII white
// space, C0 controls and no-break spaces become one space, with none at either end.
class CollapsingText {
public:
    explicit CollapsingText(std::size_t expected) { m_text.reserve(expected); }

    // Appends `chunk` up to its first '&' (and '<' when `markup`); returns how much it used.
    std::size_t append_until_markup(std::string_view chunk, bool markup) {
        return append_until(chunk, '&', markup ? '<' : '&');
    }
    void append(std::string_view chunk) { (void)append_until(chunk, '\0', '\0'); }
    void word_break() { m_pending_space = !m_text.empty(); }
    std::string take() { return std::move(m_text); }

private:
    // Appends `chunk` up to the first `stop` or `other_stop` byte; returns how much it used.
    std::size_t append_until(std::string_view chunk, char stop, char other_stop) {
        const char* p = chunk.data();
        const char* const end = p + chunk.size();
        while (p < end) {
            std::size_t run = clean_run(p, end, stop, other_stop);
            if (run > 0) {
                if (*p == ' ') { // the run holds no second space: this one may be pending
                    m_pending_space = !m_text.empty();
                    ++p;
                    if (--run == 0)
                        continue;
                }
                if (m_pending_space)
                    m_text.push_back(' ');
                m_text.append(p, run);
                p += run;
                m_pending_space = m_text.back() == ' ';
                if (m_pending_space)
                    m_text.pop_back();
                continue;
            }
            auto c = static_cast<unsigned char>(*p);
            if (c != 0 && (*p == stop || *p == other_stop))
                break;
            bool no_break_space =
                c == 0xC2 && p + 1 < end && static_cast<unsigned char>(p[1]) == 0xA0;
            if (c <= 0x20 || no_break_space) {
                m_pending_space = !m_text.empty();
                p += no_break_space ? 2 : 1;
                continue;
            }
            if (m_pending_space)
                m_text.push_back(' ');
            m_pending_space = false;
            m_text.push_back(*p++);
        }
        return static_cast<std::size_t>(p - chunk.data());
    }

    std::string m_text;
    bool m_pending_space = false;
};

// One pass over an HTML fragment (or plain text with references, when `markup` is false):
// tags dropped, content of script-like elements skipped, block tags separating words,
// references decoded, white space collapsed.
std::string plain_text(std::string_view html, bool markup) {
    CollapsingText text(html.size());
    std::string decoded;
    std::size_t pos = 0;
    while (pos < html.size()) {
        std::size_t next = pos + text.append_until_markup(html.substr(pos), markup);
        if (next == html.size())
            break;
        if (html[next] == '&') {
            decoded.clear();
            std::size_t used = decode_reference(html.substr(next), decoded);
            if (used > 0)
                text.append(decoded);
            else
                text.append("&");
            pos = next + std::max<std::size_t>(used, 1);
            continue;
        }
        if (!starts_tag(html, next)) {
            text.append("<");
            pos = next + 1;
            continue;
        }
        if (html[next + 1] == '!' || html[next + 1] == '?') {
            pos = skip_markup_declaration(html, next);
            continue;
        }
        if (auto tag = plain_tag(html, next)) {
            pos = tag->end;
            if (!tag->closing && tag->role == TagRole::drop_content)
                pos = skip_element_content(html, pos, tag->name);
            else if (tag->role == TagRole::block)
                text.word_break();
            continue;
        }
        Tag tag = read_tag(html, next);
        pos = tag.end;
        if (!tag.closing && !tag.self_closing && drops_content(tag.name))
            pos = skip_element_content(html, pos, tag.name);
        else if (separates_words(tag.name))
            text.word_break();
    }
    return text.take();
}

// Escaped twice at the source: what one pass revealed is markup or references again.
bool escaped_twice(std::string_view text, bool markup) {
    bool has_amp = text.find('&') != std::string_view::npos;
    bool has_lt = markup && text.find('<') != std::string_view::npos;
    return (has_lt && contains_markup(text)) || (has_amp && has_decodable_reference(text));
}

// Removes a reference cut off at the end (see drop_truncated_reference) and the space it
// leaves behind.
void finish_plain_text(std::string& text) {
    drop_truncated_reference(text);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
}

} // namespace

bool contains_markup(std::string_view text) {
    for (std::size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', lt + 1))
        if (starts_tag(text, lt))
            return true;
    return false;
}

std::string html_to_text(std::string_view html) {
    bool already_plain =
        clean_run(html.data(), html.data() + html.size(), '&', '<') == html.size() &&
        (html.empty() || (html.front() != ' ' && html.back() != ' '));
    if (already_plain) // most titles and categories
        return std::string(html);
    std::string text = plain_text(html, true);
    if (escaped_twice(text, true))
        text = plain_text(text, true);
    finish_plain_text(text);
    return text;
}

std::string decode_text(std::string_view text) {
    std::string decoded = plain_text(text, false);
    if (escaped_twice(decoded, false))
        decoded = plain_text(decoded, false);
    finish_plain_text(decoded);
    return decoded;
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

namespace {

struct Attribute {
    std::string name;
    std::string value; // decoded
    bool has_value = false;
};

std::vector<Attribute> parse_attributes(std::string_view text) {
    std::vector<Attribute> attributes;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                                   text[i] == '\r' || text[i] == '\f' || text[i] == '/'))
            ++i;
    };
    while (true) {
        skip_space();
        if (i >= text.size())
            break;
        Attribute attribute;
        while (i < text.size() && text[i] != '=' && text[i] != ' ' && text[i] != '\t' &&
               text[i] != '\n' && text[i] != '\r' && text[i] != '/')
            attribute.name.push_back(ascii_lower(text[i++]));
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
            ++i;
        if (i < text.size() && text[i] == '=') {
            ++i;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
                ++i;
            std::size_t start = i, end = i;
            if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
                char quote = text[i];
                start = i + 1;
                end = text.find(quote, start);
                if (end == std::string_view::npos)
                    end = text.size();
                i = std::min(end + 1, text.size());
            } else {
                while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
                    ++i;
                end = i;
            }
            attribute.value = decode_entities(text.substr(start, end - start));
            attribute.has_value = true;
        }
        if (!attribute.name.empty())
            attributes.push_back(std::move(attribute));
    }
    return attributes;
}

bool is_url_attribute(std::string_view name) {
    return in_list(name, {"href", "src", "action", "poster", "cite", "background", "longdesc",
                          "data", "xlink:href", "formaction", "usemap", "lowsrc", "dynsrc"});
}

// The scheme, lower-cased, ignoring white space and controls browsers ignore too.
std::string scheme_of(std::string_view url) {
    std::string scheme;
    for (char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20)
            continue;
        if (c == ':')
            return scheme;
        if (!is_ascii_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            return "";
        scheme.push_back(ascii_lower(c));
    }
    return "";
}

bool is_safe_url(std::string_view name, std::string_view url) {
    std::string scheme = scheme_of(url);
    if (scheme == "javascript" || scheme == "vbscript" || scheme == "livescript")
        return false;
    if (scheme == "data") {
        std::string lowered;
        for (char c : url.substr(0, 20))
            lowered.push_back(ascii_lower(c));
        return name == "src" && lowered.find("data:image/") != std::string::npos &&
               lowered.find("svg") == std::string::npos;
    }
    return true;
}

void append_tag(std::string& out, const Tag& tag, std::string_view base_url) {
    out += '<';
    out += tag.name;
    for (auto& attribute : parse_attributes(tag.attributes)) {
        const std::string& name = attribute.name;
        if (name.starts_with("on") || name == "style" || name == "srcdoc" || name == "srcset" ||
            name.starts_with("xmlns") || name.find('<') != std::string::npos ||
            name.find('"') != std::string::npos)
            continue;
        if (is_url_attribute(name)) {
            if (!is_safe_url(name, attribute.value))
                continue;
            attribute.value = resolve_url(base_url, attribute.value);
        }
        out += ' ';
        out += name;
        if (attribute.has_value) {
            out += "=\"";
            out += escape_html(attribute.value);
            out += '"';
        }
    }
    out += tag.self_closing ? " />" : ">";
}

} // namespace

std::vector<HtmlAttributes> find_start_tags(std::string_view html, std::string_view name) {
    std::vector<HtmlAttributes> found;
    for (std::size_t lt = html.find('<'); lt != std::string_view::npos;
         lt = html.find('<', lt + 1)) {
        if (!starts_tag(html, lt) || html[lt + 1] == '/' || html[lt + 1] == '!' ||
            html[lt + 1] == '?')
            continue;
        Tag tag = read_tag(html, lt);
        if (tag.name != name)
            continue;
        HtmlAttributes attributes;
        for (auto& attribute : parse_attributes(tag.attributes))
            attributes.emplace_back(std::move(attribute.name), std::move(attribute.value));
        found.push_back(std::move(attributes));
    }
    return found;
}

bool only_space(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return false;
    return true;
}

std::string sanitize_html(std::string_view html, std::string_view base_url) {
    std::string out;
    out.reserve(html.size());
    std::size_t pos = 0;      // where the next piece of input starts
    std::size_t verbatim = 0; // input from here to `pos` is still to be copied as it is
    auto flush = [&](std::size_t upto) { out.append(html.substr(verbatim, upto - verbatim)); };
    while (pos < html.size()) {
        std::size_t lt = html.find('<', pos);
        if (lt == std::string_view::npos)
            break;
        // A tag written as the sanitizer would write it ("<p>", "</em>") stays in the text
        // copied as it is: most tags of news markup.
        if (auto tag = plain_tag(html, lt);
            tag && (tag->role == TagRole::inline_markup || tag->role == TagRole::block)) {
            pos = tag->end;
            continue;
        }
        flush(lt);
        if (!starts_tag(html, lt)) {
            out += "&lt;";
            verbatim = pos = lt + 1;
            continue;
        }
        if (html[lt + 1] == '!' || html[lt + 1] == '?') {
            verbatim = pos = skip_markup_declaration(html, lt);
            continue;
        }
        Tag tag = read_tag(html, lt);
        pos = tag.end;
        TagRole role = tag.name.empty() ? TagRole::drop_tag : role_of(tag.name);
        if (role == TagRole::drop_content && !tag.closing && !tag.self_closing)
            pos = skip_element_content(html, pos, tag.name);
        verbatim = pos;
        if (role == TagRole::drop_tag || role == TagRole::drop_content)
            continue;
        if (tag.closing) {
            out += "</";
            out += tag.name;
            out += '>';
        } else if (only_space(tag.attributes)) {
            out += '<';
            out += tag.name;
            out += tag.self_closing ? " />" : ">";
        } else {
            append_tag(out, tag, base_url);
        }
    }
    flush(html.size());
    return out;
}

} // namespace newsmon::parsers

// The streaming sanitizer for content_html, and the attribute reader it shares with
// autodiscovery.
#include <algorithm>

#include "html_tags.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/url.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {

namespace {

using html::plain_tag;
using html::read_tag;
using html::role_of;
using html::skip_element_content;
using html::skip_markup_declaration;
using html::starts_tag;
using html::Tag;
using html::TagRole;

bool in_list(std::string_view name, std::initializer_list<std::string_view> names) {
    for (auto candidate : names)
        if (candidate == name)
            return true;
    return false;
}

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

template <typename Out> void append_tag(Out& out, const Tag& tag, std::string_view base_url) {
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

namespace {

// Writes into `out` (empty): a std::string, or an item's text in the feed's arena.
template <typename Out>
void sanitize_into(std::string_view html, std::string_view base_url, Out& out) {
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
}

} // namespace

std::string sanitize_html(std::string_view html, std::string_view base_url) {
    std::string out;
    sanitize_into(html, base_url, out);
    return out;
}

void sanitize_html_into(std::string_view html, std::string_view base_url, std::pmr::string& out) {
    sanitize_into(html, base_url, out);
}

} // namespace newsmon::parsers

// The streaming sanitizer for content_html, and the attribute reader it shares with
// autodiscovery. Tags are read as the HTML5 tokenizer reads them and written out anew from
// what was read, keeping only what html_policy allows; text between tags is copied, with
// every '<' that opens no tag escaped. Whatever the input, a browser then reads the output's
// tags exactly as they were written.
#include <algorithm>

#include "html_tags.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/html_policy.hpp"
#include "newsmon/parsers/url.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {

namespace {

using html::Attribute;
using html::plain_tag;
using html::read_tag;
using html::role_of;
using html::skip_element_content;
using html::skip_markup_declaration;
using html::starts_declaration;
using html::starts_tag;
using html::Tag;
using html::TagRole;

// The attribute's value as it will be written, or nullopt when it goes.
std::optional<std::string> kept_value(const Tag& tag, const Attribute& attribute,
                                      std::string_view base_url) {
    if (!html_policy::keeps_attribute(tag.name, attribute.name))
        return std::nullopt;
    if (!html_policy::is_url_attribute(attribute.name))
        return attribute.value;
    if (!html_policy::keeps_url(tag.name, attribute.name, attribute.value))
        return std::nullopt;
    std::string resolved = resolve_url(base_url, attribute.value);
    // A base (xml:base comes from the feed) can bring a scheme of its own.
    if (!html_policy::keeps_url(tag.name, attribute.name, resolved))
        return std::nullopt;
    return resolved;
}

template <typename Out>
void append_start_tag(Out& out, const Tag& tag, const std::vector<Attribute>& attributes,
                      std::string_view base_url) {
    out += '<';
    out += tag.name;
    for (const auto& attribute : attributes) {
        auto value = kept_value(tag, attribute, base_url);
        if (!value)
            continue;
        out += ' ';
        out += attribute.name;
        if (attribute.has_value) {
            out += "=\"";
            out += escape_html(*value);
            out += '"';
        }
    }
    out += tag.self_closing ? " />" : ">";
}

} // namespace

std::vector<HtmlAttributes> find_start_tags(std::string_view html, std::string_view name) {
    std::vector<HtmlAttributes> found;
    std::vector<Attribute> attributes;
    for (std::size_t lt = html.find('<'); lt != std::string_view::npos;
         lt = html.find('<', lt + 1)) {
        if (!starts_tag(html, lt) || starts_declaration(html, lt) || html[lt + 1] == '/')
            continue;
        Tag tag = read_tag(html, lt, &attributes);
        if (tag.name != name || !tag.complete)
            continue;
        HtmlAttributes pairs;
        for (auto& attribute : attributes)
            pairs.emplace_back(std::move(attribute.name), std::move(attribute.value));
        found.push_back(std::move(pairs));
    }
    return found;
}

namespace {

// Writes into `out` (empty): a std::string, or an item's text in the feed's arena.
template <typename Out>
void sanitize_into(std::string_view html, std::string_view base_url, Out& out) {
    out.reserve(html.size());
    std::vector<Attribute> attributes;
    std::size_t pos = 0;      // where the next piece of input starts
    std::size_t verbatim = 0; // input from here to `pos` is still to be copied as it is
    auto flush = [&](std::size_t upto) { out.append(html.substr(verbatim, upto - verbatim)); };
    while (pos < html.size()) {
        std::size_t lt = html.find('<', pos);
        if (lt == std::string_view::npos)
            break;
        // An allowed tag written as the sanitizer would write it ("<p>", "</em>") stays in the
        // text copied as it is: most tags of news markup.
        if (auto tag = plain_tag(html, lt); tag && html_policy::keeps_element(tag->name)) {
            pos = tag->end;
            continue;
        }
        flush(lt);
        if (!starts_tag(html, lt)) {
            out += "&lt;";
            verbatim = pos = lt + 1;
            continue;
        }
        if (starts_declaration(html, lt)) {
            verbatim = pos = skip_markup_declaration(html, lt);
            continue;
        }
        Tag tag = read_tag(html, lt, &attributes);
        pos = tag.end;
        if (!tag.closing && !tag.self_closing && role_of(tag.name) == TagRole::drop_content)
            pos = skip_element_content(html, pos, tag.name);
        verbatim = pos;
        if (!tag.complete || !html_policy::keeps_element(tag.name))
            continue;
        if (tag.closing) {
            out += "</";
            out += tag.name;
            out += '>';
        } else {
            append_start_tag(out, tag, attributes, base_url);
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

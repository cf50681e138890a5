// Atom 1.0 and 0.3: <feed><entry>, text constructs of type text, html and xhtml, xml:base.
#include <cstdint>

#include "formats.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::detail {
namespace {

enum class TextKind { text, html, xhtml, base64_text, base64_html, base64_media };

// A media type that is neither text nor XML ("application/octet-stream", "image/png"): Atom
// 1.0 carries such content in Base64 (RFC 4287, 4.1.3.3).
bool is_base64_media_type(std::string_view type) {
    return type.find('/') != std::string_view::npos && !type.starts_with("text/") &&
           !type.ends_with("+xml") && !type.ends_with("/xml");
}

// Text made only of Base64's alphabet, padding and white space: what such a type should hold.
// Anything else under that type is read as the text it is.
bool looks_like_base64(std::string_view text) {
    return !text.empty() &&
           text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                  "vwxyz0123456789+/=-_ \t\r\n") == std::string_view::npos;
}

TextKind kind_of(pugi::xml_node node) {
    std::string_view type = node.attribute("type").value();
    std::string_view mode = node.attribute("mode").value(); // Atom 0.3
    if (mode == "base64")
        return type.find("html") != std::string_view::npos ||
                       type.find("xml") != std::string_view::npos
                   ? TextKind::base64_html
                   : TextKind::base64_text;
    if (type == "xhtml" || type == "application/xhtml+xml" || mode == "xml")
        return TextKind::xhtml;
    if (type == "html" || type == "text/html" || mode == "escaped")
        return TextKind::html;
    if (is_base64_media_type(type) && looks_like_base64(text_of(node)))
        return TextKind::base64_media;
    return TextKind::text;
}

// Atom 0.3's mode="base64": the decoded bytes, made valid UTF-8. White space and characters
// outside the alphabet are skipped; decoding stops at '='.
std::string base64_decoded(std::string_view text) {
    std::string out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : text) {
        int value = c >= 'A' && c <= 'Z'   ? c - 'A'
                    : c >= 'a' && c <= 'z' ? c - 'a' + 26
                    : c >= '0' && c <= '9' ? c - '0' + 52
                    : c == '+' || c == '-' ? 62
                    : c == '/' || c == '_' ? 63
                                           : -1;
        if (c == '=')
            break;
        if (value < 0)
            continue;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out.push_back(static_cast<char>((bits >> count) & 0xFF));
        }
    }
    (void)repair_utf8(out);
    return out;
}

// Base64 content of a media type: its text when the bytes are text (UTF-8 with no NUL), read
// as HTML, as feeds that label text "application/octet-stream" mean it; nothing for a picture
// or any other binary.
std::string base64_media_text(std::string_view text) {
    std::string decoded = base64_decoded(text);
    bool textual = decoded.find('\0') == std::string::npos &&
                   decoded.find("\xEF\xBF\xBD") == std::string::npos; // no U+FFFD from repairs
    return textual ? decoded : std::string();
}

// The markup of an xhtml construct: the children of its wrapping <div>, or of the element,
// with URLs under an xml:base inside made absolute against `base`.
std::string xhtml_markup(pugi::xml_node node, const std::string& base = {}) {
    pugi::xml_node only = node.first_child();
    while (only && only.type() == pugi::node_pcdata && collapse_whitespace(only.value()).empty())
        only = only.next_sibling();
    bool leading_text = !collapse_whitespace(node.value()).empty();
    if (only && local_name(only) == "div" && !leading_text) {
        pugi::xml_node after = only.next_sibling();
        while (after && after.type() == pugi::node_pcdata &&
               collapse_whitespace(after.value()).empty())
            after = after.next_sibling();
        if (!after)
            return inner_xml(only, own_base(only, base));
    }
    return inner_xml(node, base);
}

std::string plain_text(pugi::xml_node node) {
    if (!node)
        return {};
    switch (kind_of(node)) {
    case TextKind::xhtml:
        return html_to_text(xhtml_markup(node));
    case TextKind::html:
        return html_to_text(markup_of(node));
    case TextKind::base64_html:
        return html_to_text(base64_decoded(text_of(node)));
    case TextKind::base64_text:
        return collapse_whitespace(base64_decoded(text_of(node)));
    case TextKind::base64_media:
        return html_to_text(base64_media_text(text_of(node)));
    case TextKind::text:
        break;
    }
    // Plain text by declaration (RFC 4287 3.1.1.1): the characters as the XML gives them, so
    // "&amp;amp;" is the text "&amp;" and "&lt;cat&gt;" is "<cat>", as other readers keep them.
    return collapse_whitespace(text_of(node));
}

std::optional<std::string> html_of(pugi::xml_node node, const std::string& base) {
    if (!node || node.attribute("src"))
        return std::nullopt;
    switch (kind_of(node)) {
    case TextKind::xhtml:
        return sanitize_html(xhtml_markup(node, base), base);
    case TextKind::html:
        return sanitize_html(markup_of(node, base), base);
    case TextKind::base64_html:
        return sanitize_html(base64_decoded(text_of(node)), base);
    case TextKind::base64_text:
        return escape_html(base64_decoded(text_of(node)));
    case TextKind::base64_media: {
        std::string decoded = base64_media_text(text_of(node));
        if (decoded.empty())
            return std::nullopt;
        return sanitize_html(decoded, base);
    }
    case TextKind::text:
        break;
    }
    return escape_html(text_of(node));
}

} // namespace

std::string atom_plain_text(pugi::xml_node node) {
    return plain_text(node);
}

std::optional<std::string> atom_html_of(pugi::xml_node node, const std::string& base) {
    return html_of(node, base);
}

namespace {

struct AtomNames {
    Ns ns;
    const char* published;
    const char* updated;
    const char* subtitle;
};

template <typename Strings> void read_authors(pugi::xml_node parent, Ns ns, Strings& authors) {
    for (pugi::xml_node node : parent.children()) {
        if (!is(node, ns, "author"))
            continue;
        // A person's name is plain text: "<Press Office>" is a name, not a tag.
        add_author(authors, format_person(collapse_whitespace(text_of(child(node, ns, "name"))),
                                          text_of(child(node, ns, "email"))));
    }
}

// A link's URL: its href, or, without one, its text, where early Atom feeds put it as RSS does.
std::string link_target(pugi::xml_node link) {
    std::string_view href = link.attribute("href").value();
    if (href.find_first_not_of(" \t\r\n") != std::string_view::npos)
        return std::string(href);
    return collapse_whitespace(text_of(link));
}

void read_entry_links(pugi::xml_node entry, Ns ns, const std::string& base, Item& item) {
    for (pugi::xml_node node : entry.children()) {
        if (!is(node, ns, "link"))
            continue;
        std::string_view rel = link_relation(node);
        std::string href = resolve_url(base_for(node, base), link_target(node));
        if (rel == "alternate" && item.link.empty()) {
            item.link = href;
        } else if (rel == "enclosure") {
            Enclosure enclosure{href, std::nullopt, parse_length(node.attribute("length").value())};
            if (std::string type = node.attribute("type").value(); !type.empty())
                enclosure.type = std::move(type);
            add_enclosure(item, std::move(enclosure));
        }
    }
}

void read_entry(pugi::xml_node entry, const AtomNames& names, Context& context,
                const std::vector<std::string>& feed_authors, Item& item) {
    Ns ns = names.ns;
    std::string base = base_for(entry, context.base);
    item.guid = collapse_whitespace(text_of(child(entry, ns, "id")));
    item.title = plain_text(child(entry, ns, "title"));
    read_entry_links(entry, ns, context.base, item);
    item.published = context.date(text_of(child(entry, ns, names.published)), "published");
    if (!item.published && ns == Ns::atom03)
        item.published = context.date(text_of(child(entry, ns, "created")), "created");
    item.updated = context.date(text_of(child(entry, ns, names.updated)), "updated");
    if (!item.published)
        item.published = item.updated;
    read_authors(entry, ns, item.authors);
    if (item.authors.empty())
        item.authors.assign(feed_authors.begin(), feed_authors.end()); // the feed's authors
    for (pugi::xml_node node : entry.children()) {
        if (is(node, ns, "category")) {
            // The term is the category; the label only names it for display.
            std::string term = collapse_whitespace(node.attribute("term").value());
            if (term.empty())
                term = node.attribute("label").value();
            add_unique(item.categories, collapse_whitespace(term));
        } else if (is(node, Ns::dc, "subject")) {
            add_unique(item.categories, collapse_whitespace(text_of(node)));
        }
    }
    pugi::xml_node summary = child(entry, ns, "summary");
    pugi::xml_node content = child(entry, ns, "content");
    // Atom allows one summary; a second one, in an entry without content, is kept as the
    // content rather than dropped (its text is the entry's too), as liberal readers do.
    for (pugi::xml_node next = summary.next_sibling(); !content && next; next = next.next_sibling())
        if (is(next, ns, "summary"))
            content = next;
    item.summary = plain_text(summary);
    if (item.summary.empty())
        item.summary = plain_text(content);
    if (auto html = html_of(content, base_for(content, base))) {
        set_content_html(item, *html);
    } else if (pugi::xml_node encoded = child(entry, Ns::content, "encoded")) {
        // RSS's content:encoded, which some generators put in Atom entries too
        std::string encoded_base = base_for(encoded, base);
        set_sanitized_content_html(item, markup_of(encoded, encoded_base), encoded_base);
        if (item.summary.empty() && item.content_html)
            item.summary = html_to_text(*item.content_html);
    }
    read_media(entry, item, base);
}

} // namespace

Feed parse_atom(pugi::xml_node root, const ParseOptions& options) {
    Feed feed;
    // Without a namespace, the elements are looked up unqualified; version="0.3" tells 0.3.
    Ns ns = ns_of(root);
    if (ns != Ns::atom03 && ns != Ns::none)
        ns = Ns::atom10;
    bool version_03 =
        ns == Ns::atom03 ||
        (ns == Ns::none && std::string_view(root.attribute("version").value()) == "0.3");
    feed.format = version_03 ? FeedFormat::atom0_3 : FeedFormat::atom1_0;
    AtomNames names = version_03 ? AtomNames{ns, "issued", "modified", "tagline"}
                                 : AtomNames{ns, "published", "updated", "subtitle"};
    Context context{feed, options, options.feed_url};
    std::string root_base = base_for(root, options.feed_url);
    feed.title = plain_text(child(root, ns, "title"));
    for (pugi::xml_node node : root.children()) {
        if (!is(node, ns, "link"))
            continue;
        std::string_view rel = link_relation(node);
        if (rel == "alternate" && feed.link.empty())
            feed.link = resolve_url(base_for(node, options.feed_url), link_target(node));
    }
    feed.description = plain_text(child(root, ns, names.subtitle));
    if (std::string language = root.attribute("xml:lang").value(); !language.empty())
        feed.language = language;
    feed.updated = context.date(text_of(child(root, ns, names.updated)), "updated", false);
    context.base = is_absolute_url(options.feed_url) ? root_base
                   : is_absolute_url(root_base)      ? root_base
                                                     : feed.link;
    std::vector<std::string> feed_authors;
    read_authors(root, ns, feed_authors);
    for (pugi::xml_node node : root.children()) {
        // An <item> in an Atom feed is an entry under RSS's name, as some generators wrote it.
        if (!is(node, ns, "entry") && !is(node, ns, "item"))
            continue;
        if (!context.room_for_item())
            break;
        read_entry(node, names, context, feed_authors, context.new_item());
    }
    context.finish_items();
    return feed;
}

} // namespace newsmon::parsers::detail

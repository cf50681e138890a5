// RSS 0.9x and 2.0 (<rss><channel><item>), and RSS 1.0 / 0.90 (<rdf:RDF> with items beside
// the channel). Both share the item vocabulary and its modules.
#include <algorithm>
#include <cstring>

#include "formats.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::detail {
namespace {

bool is_rss_namespace(Ns ns) {
    return ns == Ns::rss10 || ns == Ns::rss090 || ns == Ns::rss20;
}

// RSS core elements: unprefixed, or in an RSS namespace (1.0, 0.90, UserLand's 2.0).
bool is_core(pugi::xml_node node, std::string_view local) {
    if (is_plain(node, local))
        return true;
    if (local_name(node) != local)
        return false;
    return is_rss_namespace(ns_of(node));
}

pugi::xml_node core_child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node node : parent.children())
        if (is_core(node, local))
            return node;
    return {};
}

// The elements of one item that matter, found in a single pass over its children.
// One is reused for every item of a feed, so that its lists keep their memory.
struct ItemParts {
    pugi::xml_node title, dc_title, link, atom_link, guid, pub_date, published, updated;
    pugi::xml_node description, encoded, full_item, summary, dc_description, atom_summary;
    pugi::xml_node plain_summary; // <summary> with no namespace, as some generators add it
    pugi::xml_node atom_content, xhtml_body, turbo_content, yandex_full_text;
    std::vector<pugi::xml_node> people, categories, keywords, media;

    void clear() {
        title = dc_title = link = atom_link = guid = pub_date = published = updated = {};
        description = encoded = full_item = summary = dc_description = atom_summary = {};
        plain_summary = {};
        atom_content = xhtml_body = turbo_content = yandex_full_text = {};
        people.clear();
        categories.clear();
        keywords.clear();
        media.clear();
    }
};

// A NUL-terminated element name against a literal, byte by byte: names are short, and a call
// to strcmp costs more than the comparison. Stops at the first difference, so never reads past
// the end of `name`.
template <std::size_t N> bool named(const char* name, const char (&wanted)[N]) {
    for (std::size_t i = 0; i < N; ++i)
        if (name[i] != wanted[i])
            return false;
    return true;
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// An RSS <link> with a URL: in its text, or in an href attribute some feeds give it instead.
bool usable_link(pugi::xml_node link) {
    return !is_blank(text_of(link)) || !is_blank(link.attribute("href").value());
}

// Files a core element by name; false when the name is none of them.
bool sort_core(pugi::xml_node node, const char* name, ItemParts& parts) {
    switch (name[0]) { // one comparison per child instead of a chain of them
    case 't':
        if (!named(name, "title"))
            return false;
        parts.title = node;
        return true;
    case 'l':
        if (!named(name, "link"))
            return false;
        if (!parts.link || !usable_link(parts.link)) // the first usable one
            parts.link = node;
        return true;
    case 'g':
        if (!named(name, "guid"))
            return false;
        parts.guid = node;
        return true;
    case 'p':
        if (!named(name, "pubDate"))
            return false;
        if (!parts.pub_date) // the first wins
            parts.pub_date = node;
        return true;
    case 'd':
        if (!named(name, "description"))
            return false;
        parts.description = node;
        return true;
    case 'a':
        if (!named(name, "author"))
            return false;
        parts.people.push_back(node);
        return true;
    case 'c':
        if (!named(name, "category"))
            return false;
        parts.categories.push_back(node);
        return true;
    case 'e':
        if (!named(name, "enclosure"))
            return false;
        parts.media.push_back(node);
        return true;
    case 's': // <summary>: not RSS, but written beside or instead of the description
        if (!named(name, "summary"))
            return false;
        if (!parts.plain_summary)
            parts.plain_summary = node;
        return true;
    case 'f': // <fullitem>: an early convention for the whole item's HTML
        if (!named(name, "fullitem"))
            return false;
        if (!parts.full_item)
            parts.full_item = node;
        return true;
    default:
        return false;
    }
}

void sort_prefixed(pugi::xml_node node, const char* local, NamespaceMemo& namespaces,
                   ItemParts& parts) {
    switch (namespaces.ns_of_child(node)) {
    case Ns::rss10:
    case Ns::rss090:
    case Ns::rss20:
        (void)sort_core(node, local, parts);
        break;
    case Ns::dc:
        if (named(local, "creator") || named(local, "author"))
            parts.people.push_back(node);
        else if (named(local, "subject"))
            parts.categories.push_back(node);
        else if (named(local, "date") && !parts.published)
            parts.published = node;
        else if (named(local, "title") && !parts.dc_title)
            parts.dc_title = node;
        else if (named(local, "description") && !parts.dc_description)
            parts.dc_description = node;
        break;
    case Ns::dcterms:
        if (named(local, "issued") && !parts.published)
            parts.published = node;
        else if (named(local, "modified") && !parts.updated)
            parts.updated = node;
        break;
    case Ns::atom10:
        if (named(local, "author")) {
            parts.people.push_back(node);
        } else if (named(local, "link")) {
            std::string_view rel = link_relation(node);
            if (rel == "alternate" && !parts.atom_link)
                parts.atom_link = node;
        } else if (named(local, "published") && !parts.published) {
            parts.published = node;
        } else if (named(local, "updated") && !parts.updated) {
            parts.updated = node;
        } else if (named(local, "content") && !parts.atom_content) {
            parts.atom_content = node;
        } else if (named(local, "summary") && !parts.atom_summary) {
            parts.atom_summary = node;
        } else if (named(local, "category")) {
            parts.categories.push_back(node);
        }
        break;
    case Ns::xhtml:
        if (named(local, "body") && !parts.xhtml_body)
            parts.xhtml_body = node;
        break;
    case Ns::content:
        if (named(local, "encoded") && !parts.encoded)
            parts.encoded = node;
        break;
    case Ns::turbo:
        if (named(local, "content") && !parts.turbo_content)
            parts.turbo_content = node;
        break;
    case Ns::yandex:
        if (named(local, "full-text") && !parts.yandex_full_text)
            parts.yandex_full_text = node;
        break;
    case Ns::itunes:
        if (named(local, "author"))
            parts.people.push_back(node);
        else if (named(local, "keywords"))
            parts.keywords.push_back(node);
        else if (named(local, "summary") && !parts.summary)
            parts.summary = node;
        break;
    case Ns::media:
        if (named(local, "description")) {
            if (!parts.summary)
                parts.summary = node;
            break;
        }
        if (named(local, "group") && !parts.summary)
            parts.summary = child(node, Ns::media, "description");
        parts.media.push_back(node);
        break;
    default:
        break;
    }
}

void sort_children(pugi::xml_node item, NamespaceMemo& namespaces, ItemParts& parts) {
    parts.clear();
    namespaces.enter(item);
    for (pugi::xml_node node = item.first_child(); node; node = node.next_sibling()) {
        if (node.type() != pugi::node_element)
            continue;
        const char* name = node.name();
        if (sort_core(node, name, parts))
            continue;
        if (const char* colon = std::strchr(name, ':'))
            sort_prefixed(node, colon + 1, namespaces, parts);
        else if (node.attribute("xmlns")) // <body xmlns="http://www.w3.org/1999/xhtml">
            sort_prefixed(node, name, namespaces, parts);
    }
}

void read_links(const ItemParts& parts, Item& item, const std::string& base) {
    NodeText link = text_of(parts.link);
    if (is_blank(link))
        set_resolved_url(item.link, base, parts.link.attribute("href").value());
    else
        set_resolved_url(item.link, base, link);
    if (item.link.empty() && parts.atom_link)
        set_resolved_url(item.link, base, parts.atom_link.attribute("href").value());
    set_collapsed(item.guid, text_of(parts.guid));
    if (item.guid.starts_with("//"))
        item.guid = resolve_url(base, item.guid);
    // isPermaLink="false" in any case ("False", "FALSE"): an id, not the item's address
    if (item.link.empty() && is_absolute_url(item.guid) &&
        !iequals_ascii(collapse_whitespace(parts.guid.attribute("isPermaLink").value()), "false"))
        item.link = item.guid;
}

// A category: the element's text, else (atom:category) its term, else its label.
// The comma-separated words of itunes:keywords, trimmed, the empty ones left out.
std::vector<std::string> split_keywords(std::string_view list) {
    std::vector<std::string> keywords;
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = std::min(list.find(',', start), list.size());
        if (std::string keyword = collapse_whitespace(list.substr(start, comma - start));
            !keyword.empty())
            keywords.push_back(std::move(keyword));
        start = comma + 1;
    }
    return keywords;
}

std::string category_of(pugi::xml_node node) {
    std::string text = html_to_text(text_of(node));
    if (!text.empty())
        return text;
    std::string_view term = node.attribute("term").value();
    return html_to_text(term.empty() ? node.attribute("label").value() : term);
}

// yandex:full-text as HTML. Yandex.News feeds (the full text many Russian- and
// Azerbaijani-language sites publish only there) carry the article as plain text, a paragraph
// to a line, its characters escaped as HTML; some generators leave markup in it.
std::string full_text_html(std::string_view text) {
    if (contains_markup(text))
        return std::string(text);
    std::string html;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        if (std::size_t first = line.find_first_not_of(" \t\r"); first != std::string_view::npos)
            html.append("<p>")
                .append(line.substr(first, line.find_last_not_of(" \t\r") + 1 - first))
                .append("</p>");
        start = end + 1;
    }
    return html;
}

// The summary is the description, else the first of atom:summary, itunes:summary,
// media:description and dc:description, else the text of the content. The content is
// content:encoded (else <fullitem>), else atom:content, else xhtml:body, else turbo:content,
// else yandex:full-text, else a description that holds markup.
void read_text(const ItemParts& parts, Item& item, const std::string& base) {
    NodeText description = markup_of(parts.description, base);
    NodeText encoded = markup_of(parts.encoded ? parts.encoded : parts.full_item, base);
    html_to_text_into(description, item.summary);
    if (item.summary.empty() && parts.atom_summary)
        item.summary = atom_plain_text(parts.atom_summary);
    for (pugi::xml_node other : {parts.plain_summary, parts.summary, parts.dc_description})
        if (item.summary.empty() && other)
            item.summary = html_to_text(markup_of(other, base));
    if (!encoded.empty()) {
        set_sanitized_content_html(item, encoded, base);
    } else if (auto atom_html =
                   atom_html_of(parts.atom_content, own_base(parts.atom_content, base))) {
        set_content_html(item, *atom_html);
    } else if (parts.xhtml_body) {
        set_sanitized_content_html(item, inner_xml(parts.xhtml_body, base), base);
    } else if (NodeText turbo = markup_of(parts.turbo_content, base); !is_blank(turbo)) {
        set_sanitized_content_html(item, turbo, base);
    } else if (NodeText full_text = markup_of(parts.yandex_full_text, base); !is_blank(full_text)) {
        set_sanitized_content_html(item, full_text_html(full_text), base);
    } else if (contains_markup(description)) {
        set_sanitized_content_html(item, description, base);
    } else if (NodeText other = markup_of(parts.plain_summary, base);
               parts.description && !is_blank(other) && other.view() != description.view()) {
        // a <summary> beside the description: its text is kept, as the content
        set_sanitized_content_html(item, other, base);
    }
    if (item.summary.empty() && item.content_html)
        item.summary = html_to_text(*item.content_html);
}

// Reads items one after another, keeping what they share: the namespaces in scope, the base
// URL of their parent, the lists of their parts.
class ItemReader {
public:
    ItemReader(Context& context, pugi::xml_node shared_scope)
        : m_context(context), m_namespaces(shared_scope) {}
    void read(pugi::xml_node node, Item& item);

private:
    const std::string& base_for_item(pugi::xml_node node);

    Context& m_context;
    NamespaceMemo m_namespaces;
    ItemParts m_parts;
    pugi::xml_node m_parent;
    std::string m_parent_base, m_item_base;
};

const std::string& ItemReader::base_for_item(pugi::xml_node node) {
    if (node.parent() != m_parent) {
        m_parent = node.parent();
        m_parent_base = base_for(m_parent, m_context.base);
    }
    if (!node.attribute("xml:base"))
        return m_parent_base;
    m_item_base = own_base(node, m_parent_base);
    return m_item_base;
}

void ItemReader::read(pugi::xml_node node, Item& item) {
    Context& context = m_context;
    ItemParts& parts = m_parts;
    sort_children(node, m_namespaces, parts);
    const std::string& base = base_for_item(node);
    html_to_text_into(markup_of(parts.title ? parts.title : parts.dc_title), item.title);
    read_links(parts, item, base);
    if (item.guid.empty())
        if (pugi::xml_attribute about = attribute_local(node, "about"); about)
            item.guid = resolve_url(base, about.value());
    item.published = context.date(text_of(parts.pub_date), "pubDate");
    if (!item.published)
        item.published = context.date(text_of(parts.published), "date");
    item.updated = context.date(text_of(parts.updated), "updated");
    for (pugi::xml_node person : parts.people) {
        pugi::xml_node name = child(person, Ns::atom10, "name");
        pugi::xml_node email = child(person, Ns::atom10, "email");
        if (name || email) // atom:author
            add_author(item.authors, format_person(html_to_text(text_of(name)), text_of(email)));
        else
            add_author(item.authors, author_from_markup(text_of(person)));
    }
    for (pugi::xml_node category : parts.categories)
        add_unique(item.categories, category_of(category));
    for (pugi::xml_node keywords : parts.keywords) // "football,soccer,celtic": each a category
        for (const auto& keyword : split_keywords(html_to_text(text_of(keywords))))
            add_unique(item.categories, keyword);
    read_text(parts, item, base);
    for (pugi::xml_node medium : parts.media)
        read_medium(medium, item, base);
}

// The channel's own elements, found in one pass that steps over the items.
struct ChannelParts {
    pugi::xml_node title, link, atom_link, description, language, last_build, pub_date, date;
    pugi::xml_node ttl, update_period, update_frequency, dc_title, dc_description, modified;
};

ChannelParts sort_channel(pugi::xml_node channel) {
    ChannelParts parts;
    for (pugi::xml_node node = channel.first_child(); node; node = node.next_sibling()) {
        if (node.type() != pugi::node_element)
            continue;
        const char* name = node.name();
        const char* colon = std::strchr(name, ':');
        const char* local = colon ? colon + 1 : name;
        if (named(local, "item"))
            continue;
        Ns ns = colon ? ns_of(node) : Ns::none;
        bool core = !colon || is_rss_namespace(ns);
        pugi::xml_node* slot = nullptr;
        if (core) {
            slot = named(local, "title")           ? &parts.title
                   : named(local, "link")          ? &parts.link
                   : named(local, "description")   ? &parts.description
                   : named(local, "language")      ? &parts.language
                   : named(local, "lastBuildDate") ? &parts.last_build
                   : named(local, "pubDate")       ? &parts.pub_date
                   : named(local, "ttl")           ? &parts.ttl
                                                   : nullptr;
        } else if (ns == Ns::dc) {
            slot = named(local, "language")      ? &parts.language
                   : named(local, "date")        ? &parts.date
                   : named(local, "title")       ? &parts.dc_title
                   : named(local, "description") ? &parts.dc_description
                                                 : nullptr;
        } else if (ns == Ns::dcterms) {
            slot = named(local, "modified") ? &parts.modified : nullptr;
        } else if (ns == Ns::sy) {
            slot = named(local, "updatePeriod")      ? &parts.update_period
                   : named(local, "updateFrequency") ? &parts.update_frequency
                                                     : nullptr;
        } else if (ns == Ns::atom10 && named(local, "link") && link_relation(node) == "alternate") {
            slot = &parts.atom_link;
        }
        if (slot && !*slot)
            *slot = node;
    }
    return parts;
}

// sy:updatePeriod / sy:updateFrequency as minutes between updates.
std::optional<int> syndication_minutes(const ChannelParts& parts) {
    std::string period = collapse_whitespace(text_of(parts.update_period));
    int minutes = period == "hourly"    ? 60
                  : period == "daily"   ? 1440
                  : period == "weekly"  ? 10080
                  : period == "monthly" ? 43200
                  : period == "yearly"  ? 525600
                                        : 0;
    if (minutes == 0)
        return std::nullopt;
    auto frequency = parse_length(text_of(parts.update_frequency)).value_or(1);
    return frequency > 0 ? static_cast<int>(minutes / std::min<std::int64_t>(frequency, minutes))
                         : minutes;
}

void read_channel(pugi::xml_node channel, Context& context) {
    Feed& feed = context.feed;
    ChannelParts parts = sort_channel(channel);
    std::string channel_base = base_for(channel, context.options.feed_url);
    feed.title = html_to_text(markup_of(parts.title ? parts.title : parts.dc_title));
    feed.link = resolve_url(channel_base, text_of(parts.link));
    if (feed.link.empty() && parts.atom_link)
        feed.link = resolve_url(channel_base, parts.atom_link.attribute("href").value());
    feed.description =
        html_to_text(markup_of(parts.description ? parts.description : parts.dc_description));
    if (std::string language = collapse_whitespace(text_of(parts.language)); !language.empty())
        feed.language = std::move(language);
    feed.updated = context.date(text_of(parts.last_build), "lastBuildDate", false);
    if (!feed.updated)
        feed.updated = context.date(text_of(parts.pub_date), "pubDate", false);
    if (!feed.updated)
        feed.updated = context.date(text_of(parts.date), "date", false);
    if (!feed.updated)
        feed.updated = context.date(text_of(parts.modified), "modified", false);
    auto ttl = parse_length(text_of(parts.ttl));
    if (ttl && *ttl > 0 && *ttl < 525'600)
        feed.ttl_minutes = static_cast<int>(*ttl);
    else
        feed.ttl_minutes = syndication_minutes(parts);
    context.base = is_absolute_url(context.options.feed_url) ? context.options.feed_url : feed.link;
}

} // namespace

Feed parse_rss(pugi::xml_node root, const ParseOptions& options) {
    Feed feed;
    std::string_view version = root.attribute("version").as_string("2.0");
    feed.format = version.starts_with("0.9") ? FeedFormat::rss0_9x : FeedFormat::rss2_0;
    Context context{feed, options, options.feed_url};
    pugi::xml_node channel = core_child(root, "channel");
    read_channel(channel, context);
    ItemReader reader(context, channel);
    std::size_t children = 0;
    for (pugi::xml_node node = channel.first_child(); node; node = node.next_sibling())
        ++children;
    feed.items.reserve(std::min(children, options.max_items));
    for (pugi::xml_node node : channel.children()) {
        if (!is_core(node, "item"))
            continue;
        if (!context.room_for_item())
            break;
        reader.read(node, context.new_item());
    }
    context.finish_items();
    return feed;
}

Feed parse_rdf(pugi::xml_node root, const ParseOptions& options) {
    Feed feed;
    Context context{feed, options, options.feed_url};
    pugi::xml_node channel = core_child(root, "channel");
    // RSS 0.90 by its namespace: the channel's, or the document's when it has no channel
    bool rss090 = channel ? ns_of(channel) == Ns::rss090
                          : std::string_view(root.attribute("xmlns").value()) ==
                                "http://my.netscape.com/rdf/simple/0.9/";
    feed.format = rss090 ? FeedFormat::rss0_9x : FeedFormat::rss1_0;
    read_channel(channel, context);
    ItemReader reader(context, root);
    // Items stand beside the channel in RSS 1.0; a few generators nest them inside it.
    bool room = true;
    for (pugi::xml_node parent : {root, channel}) {
        for (pugi::xml_node node = parent.first_child(); node && room; node = node.next_sibling()) {
            if (!is_core(node, "item"))
                continue;
            room = context.room_for_item();
            if (room)
                reader.read(node, context.new_item());
        }
    }
    context.finish_items();
    return feed;
}

} // namespace newsmon::parsers::detail

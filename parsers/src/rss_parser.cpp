// RSS 0.9x and 2.0 (<rss><channel><item>), and RSS 1.0 / 0.90 (<rdf:RDF> with items beside
// the channel). Both share the item vocabulary and its modules.
#include "formats.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::detail {
namespace {

// RSS core elements: unprefixed, or in the RSS 1.0 / 0.90 namespace.
bool is_core(pugi::xml_node node, std::string_view local) {
    if (is_plain(node, local))
        return true;
    if (local_name(node) != local)
        return false;
    Ns ns = ns_of(node);
    return ns == Ns::rss10 || ns == Ns::rss090;
}

pugi::xml_node core_child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node node : parent.children())
        if (is_core(node, local))
            return node;
    return {};
}

std::string atom_link(pugi::xml_node parent, std::string_view wanted_rel) {
    for (pugi::xml_node node : parent.children()) {
        if (!is(node, Ns::atom10, "link"))
            continue;
        std::string_view rel = node.attribute("rel").as_string("alternate");
        if (rel == wanted_rel)
            return node.attribute("href").value();
    }
    return {};
}

std::string first_text(pugi::xml_node parent,
                       std::initializer_list<std::pair<Ns, const char*>> names) {
    for (const auto& [ns, local] : names)
        if (pugi::xml_node node = child(parent, ns, local))
            if (std::string text = text_of(node); !text.empty())
                return text;
    return {};
}

void read_links(pugi::xml_node node, Item& item, const std::string& base) {
    item.link = resolve_url(base, text_of(core_child(node, "link")));
    if (item.link.empty())
        item.link = resolve_url(base, atom_link(node, "alternate"));
    pugi::xml_node guid = core_child(node, "guid");
    std::string guid_text = collapse_whitespace(text_of(guid));
    if (guid_text.starts_with("//"))
        guid_text = resolve_url(base, guid_text);
    bool permalink = std::string_view(guid.attribute("isPermaLink").value()) != "false";
    if (item.link.empty() && permalink && is_absolute_url(guid_text))
        item.link = guid_text;
    item.guid = guid_text;
    if (item.guid.empty())
        if (pugi::xml_attribute about = attribute_local(node, "about"); about)
            item.guid = resolve_url(base, about.value());
}

void read_dates(pugi::xml_node node, Item& item, Context& context) {
    std::string where = context.item_label();
    item.published = context.date(text_of(core_child(node, "pubDate")), where + " pubDate");
    if (!item.published)
        item.published = context.date(
            first_text(node,
                       {{Ns::dc, "date"}, {Ns::dcterms, "issued"}, {Ns::atom10, "published"}}),
            where + " date");
    item.updated = context.date(
        first_text(node, {{Ns::atom10, "updated"}, {Ns::dcterms, "modified"}}), where + " updated");
}

void read_people_and_categories(pugi::xml_node node, Item& item) {
    for (pugi::xml_node part : node.children()) {
        if (part.type() != pugi::node_element)
            continue;
        std::string_view local = local_name(part);
        Ns ns = ns_of(part);
        bool core = is_core(part, local);
        if ((core && local == "author") || (ns == Ns::dc && local == "creator") ||
            (ns == Ns::itunes && local == "author"))
            add_unique(item.authors, clean_author(html_to_text(text_of(part))));
        else if ((core && local == "category") || (ns == Ns::dc && local == "subject"))
            add_unique(item.categories, html_to_text(text_of(part)));
    }
}

void read_text(pugi::xml_node node, Item& item, const std::string& base) {
    std::string description = text_of(core_child(node, "description"));
    std::string encoded = text_of(child(node, Ns::content, "encoded"));
    item.summary = html_to_text(description);
    if (item.summary.empty()) {
        pugi::xml_node group = child(node, Ns::media, "group");
        item.summary =
            html_to_text(first_text(node, {{Ns::itunes, "summary"}, {Ns::media, "description"}}));
        if (item.summary.empty() && group)
            item.summary = html_to_text(text_of(child(group, Ns::media, "description")));
    }
    if (item.summary.empty())
        item.summary = html_to_text(encoded);
    if (!encoded.empty())
        item.content_html = sanitize_html(encoded, base);
    else if (contains_markup(description))
        item.content_html = sanitize_html(description, base);
}

Item read_item(pugi::xml_node node, Context& context) {
    Item item;
    std::string base = base_for(node, context.base);
    item.title = html_to_text(text_of(core_child(node, "title")));
    if (item.title.empty())
        item.title = html_to_text(text_of(child(node, Ns::dc, "title")));
    read_links(node, item, base);
    read_dates(node, item, context);
    read_people_and_categories(node, item);
    read_text(node, item, base);
    read_media(node, item, base);
    return item;
}

// sy:updatePeriod / sy:updateFrequency as minutes between updates.
std::optional<int> syndication_minutes(pugi::xml_node channel) {
    std::string period = collapse_whitespace(text_of(child(channel, Ns::sy, "updatePeriod")));
    if (period.empty())
        return std::nullopt;
    int minutes = period == "hourly"    ? 60
                  : period == "daily"   ? 1440
                  : period == "weekly"  ? 10080
                  : period == "monthly" ? 43200
                  : period == "yearly"  ? 525600
                                        : 0;
    if (minutes == 0)
        return std::nullopt;
    auto frequency = parse_length(text_of(child(channel, Ns::sy, "updateFrequency"))).value_or(1);
    return frequency > 0 ? static_cast<int>(minutes / std::min<std::int64_t>(frequency, minutes))
                         : minutes;
}

void read_channel(pugi::xml_node channel, Context& context) {
    Feed& feed = context.feed;
    std::string channel_base = base_for(channel, context.options.feed_url);
    feed.title = html_to_text(text_of(core_child(channel, "title")));
    feed.link = resolve_url(channel_base, text_of(core_child(channel, "link")));
    if (feed.link.empty())
        feed.link = resolve_url(channel_base, atom_link(channel, "alternate"));
    feed.description = html_to_text(text_of(core_child(channel, "description")));
    std::string language = collapse_whitespace(text_of(core_child(channel, "language")));
    if (language.empty())
        language = collapse_whitespace(text_of(child(channel, Ns::dc, "language")));
    if (!language.empty())
        feed.language = language;
    feed.updated =
        context.date(text_of(core_child(channel, "lastBuildDate")), "channel lastBuildDate");
    if (!feed.updated)
        feed.updated = context.date(text_of(core_child(channel, "pubDate")), "channel pubDate");
    if (!feed.updated)
        feed.updated = context.date(text_of(child(channel, Ns::dc, "date")), "channel date");
    auto ttl = parse_length(text_of(core_child(channel, "ttl")));
    if (ttl && *ttl > 0 && *ttl < 525'600)
        feed.ttl_minutes = static_cast<int>(*ttl);
    else
        feed.ttl_minutes = syndication_minutes(channel);
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
    for (pugi::xml_node node : channel.children()) {
        if (!is_core(node, "item"))
            continue;
        if (!context.room_for_item())
            break;
        feed.items.push_back(read_item(node, context));
    }
    return feed;
}

Feed parse_rdf(pugi::xml_node root, const ParseOptions& options) {
    Feed feed;
    Context context{feed, options, options.feed_url};
    pugi::xml_node channel = core_child(root, "channel");
    feed.format = ns_of(channel) == Ns::rss090 ? FeedFormat::rss0_9x : FeedFormat::rss1_0;
    read_channel(channel, context);
    // Items stand beside the channel in RSS 1.0; a few generators nest them inside it.
    for (pugi::xml_node parent : {root, channel}) {
        for (pugi::xml_node node : parent.children()) {
            if (!is_core(node, "item"))
                continue;
            if (!context.room_for_item())
                return feed;
            feed.items.push_back(read_item(node, context));
        }
    }
    return feed;
}

} // namespace newsmon::parsers::detail

// RSS 0.9x and 2.0: <rss><channel><item>…</item></channel></rss>.
#include <charconv>

#include "formats.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/text.hpp"

namespace newsmon::parsers::detail {
namespace {

std::string text_of(pugi::xml_node node) {
    return collapse_whitespace(node.child_value());
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<Timestamp> date_of(pugi::xml_node node, std::string_view what, Feed& feed) {
    std::string text = text_of(node);
    if (text.empty())
        return std::nullopt;
    auto instant = parse_date(text);
    if (!instant)
        feed.warnings.push_back(std::string(what) + ": unparseable date \"" + text + "\"");
    return instant;
}

Item parse_item(pugi::xml_node node, const std::string& base, Feed& feed) {
    Item item;
    item.title = html_to_text(node.child_value("title"));
    item.link = resolve_url(base, text_of(node.child("link")));
    item.guid = text_of(node.child("guid"));
    std::string where = "item " + std::to_string(feed.items.size() + 1) + " pubDate";
    item.published = date_of(node.child("pubDate"), where, feed);
    if (!item.published)
        item.published = date_of(child_local(node, "dc:date"), where, feed);
    for (pugi::xml_node category : node.children("category"))
        if (auto text = text_of(category); !text.empty())
            item.categories.push_back(std::move(text));
    for (const char* name : {"author", "dc:creator"})
        if (auto author = text_of(child_local(node, name)); !author.empty())
            item.authors.push_back(std::move(author));
    std::string_view description = node.child_value("description");
    item.summary = html_to_text(description);
    if (pugi::xml_node encoded = child_local(node, "content:encoded"))
        item.content_html = encoded.child_value();
    for (pugi::xml_node enclosure : node.children("enclosure")) {
        Enclosure e{resolve_url(base, enclosure.attribute("url").as_string()), std::nullopt,
                    parse_int(enclosure.attribute("length").as_string())};
        if (auto type = std::string(enclosure.attribute("type").as_string()); !type.empty())
            e.type = std::move(type);
        if (!e.url.empty())
            item.enclosures.push_back(std::move(e));
    }
    return item;
}

} // namespace

Feed parse_rss(pugi::xml_node channel, FeedFormat format, const ParseOptions& options) {
    Feed feed;
    feed.format = format;
    feed.title = html_to_text(channel.child_value("title"));
    feed.link = resolve_url(options.feed_url, text_of(channel.child("link")));
    feed.description = html_to_text(channel.child_value("description"));
    if (auto language = text_of(channel.child("language")); !language.empty())
        feed.language = std::move(language);
    feed.updated = date_of(channel.child("lastBuildDate"), "channel lastBuildDate", feed);
    if (auto ttl = parse_int(text_of(channel.child("ttl"))); ttl && *ttl > 0 && *ttl < 1'000'000)
        feed.ttl_minutes = static_cast<int>(*ttl);
    const std::string& base = options.feed_url.empty() ? feed.link : options.feed_url;
    for (pugi::xml_node node : channel.children("item")) {
        if (feed.items.size() >= options.max_items) {
            feed.warnings.push_back("item limit reached; later items ignored");
            break;
        }
        feed.items.push_back(parse_item(node, base, feed));
    }
    return feed;
}

} // namespace newsmon::parsers::detail

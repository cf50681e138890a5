#include <nlohmann/json.hpp>

#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/feed.hpp"

namespace newsmon::parsers {
namespace {

using Json = nlohmann::ordered_json;

Json date_or_null(const std::optional<Timestamp>& instant) {
    return instant ? Json(format_rfc3339(*instant)) : Json(nullptr);
}

template <class T> Json value_or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json item_json(const Item& item) {
    Json enclosures = Json::array();
    for (const auto& enclosure : item.enclosures)
        enclosures.push_back({{"url", enclosure.url},
                              {"type", value_or_null(enclosure.type)},
                              {"length", value_or_null(enclosure.length)}});
    return {{"guid", item.guid},
            {"title", item.title},
            {"link", item.link},
            {"published", date_or_null(item.published)},
            {"updated", date_or_null(item.updated)},
            {"authors", item.authors},
            {"categories", item.categories},
            {"summary", item.summary},
            {"content_html", value_or_null(item.content_html)},
            {"enclosures", std::move(enclosures)}};
}

} // namespace

std::string to_json(const Feed& feed, int indent) {
    Json items = Json::array();
    for (const auto& item : feed.items)
        items.push_back(item_json(item));
    Json document = {{"format", to_string(feed.format)},
                     {"title", feed.title},
                     {"link", feed.link},
                     {"description", feed.description},
                     {"language", value_or_null(feed.language)},
                     {"updated", date_or_null(feed.updated)},
                     {"ttl_minutes", value_or_null(feed.ttl_minutes)},
                     {"items", std::move(items)},
                     {"warnings", feed.warnings}};
    return document.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace newsmon::parsers

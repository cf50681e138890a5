// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
#include <nlohmann/json.hpp>

#include "formats.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::detail {
namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
    auto found = object.find(key);
    if (found == object.end() || !found->is_string())
        return {};
    return found->get<std::string>();
}

template <typename Strings> void read_authors(const json& object, Strings& authors) {
    if (auto list = object.find("authors"); list != object.end() && list->is_array())
        for (const auto& author : *list)
            if (author.is_object())
                add_unique(authors, html_to_text(string_at(author, "name")));
    if (auto single = object.find("author"); single != object.end() && single->is_object())
        add_unique(authors, html_to_text(string_at(*single, "name")));
}

void read_item(const json& entry, Context& context, const std::vector<std::string>& feed_authors,
               Item& item) {
    if (auto id = entry.find("id"); id != entry.end())
        item.guid = id->is_string() ? id->get<std::string>() : id->dump();
    item.link = resolve_url(context.base, string_at(entry, "url"));
    if (item.link.empty())
        item.link = resolve_url(context.base, string_at(entry, "external_url"));
    item.title = html_to_text(string_at(entry, "title"));
    item.published = context.date(string_at(entry, "date_published"), "date_published");
    item.updated = context.date(string_at(entry, "date_modified"), "date_modified");
    read_authors(entry, item.authors);
    if (item.authors.empty())
        item.authors.assign(feed_authors.begin(), feed_authors.end());
    if (auto tags = entry.find("tags"); tags != entry.end() && tags->is_array())
        for (const auto& tag : *tags)
            if (tag.is_string())
                add_unique(item.categories, html_to_text(tag.get<std::string>()));
    std::string html = string_at(entry, "content_html");
    std::string text = string_at(entry, "content_text");
    item.summary = html_to_text(string_at(entry, "summary"));
    if (item.summary.empty())
        item.summary = !text.empty() ? collapse_whitespace(text) : html_to_text(html);
    if (!html.empty())
        set_sanitized_content_html(item, html, context.base);
    else if (!text.empty())
        set_content_html(item, escape_html(text));
    if (auto attachments = entry.find("attachments");
        attachments != entry.end() && attachments->is_array()) {
        for (const auto& attachment : *attachments) {
            if (!attachment.is_object())
                continue;
            Enclosure enclosure{resolve_url(context.base, string_at(attachment, "url")),
                                std::nullopt, std::nullopt};
            if (std::string type = string_at(attachment, "mime_type"); !type.empty())
                enclosure.type = std::move(type);
            if (auto size = attachment.find("size_in_bytes");
                size != attachment.end() && size->is_number_integer())
                enclosure.length = size->get<std::int64_t>();
            add_enclosure(item, std::move(enclosure));
        }
    }
}

} // namespace

tl::expected<Feed, ParseError> parse_json_feed(std::string_view text, const ParseOptions& options) {
    json document = json::parse(text, nullptr, false);
    if (document.is_discarded())
        return tl::unexpected(ParseError{ParseErrorKind::not_a_feed, "malformed JSON", {}});
    if (!document.is_object() ||
        string_at(document, "version").find("jsonfeed.org/version/") == std::string::npos)
        return tl::unexpected(ParseError{ParseErrorKind::not_a_feed,
                                         "JSON without a jsonfeed.org version: not a JSON Feed",
                                         {}});
    Feed feed;
    feed.format = FeedFormat::jsonfeed;
    feed.title = html_to_text(string_at(document, "title"));
    feed.link = resolve_url(options.feed_url, string_at(document, "home_page_url"));
    feed.description = html_to_text(string_at(document, "description"));
    if (std::string language = string_at(document, "language"); !language.empty())
        feed.language = language;
    Context context{feed, options,
                    is_absolute_url(options.feed_url) ? options.feed_url : feed.link};
    std::vector<std::string> feed_authors;
    read_authors(document, feed_authors);
    if (auto items = document.find("items"); items != document.end() && items->is_array()) {
        for (const auto& entry : *items) {
            if (!entry.is_object())
                continue;
            if (!context.room_for_item())
                break;
            read_item(entry, context, feed_authors, context.new_item());
        }
    }
    context.finish_items();
    return feed;
}

} // namespace newsmon::parsers::detail

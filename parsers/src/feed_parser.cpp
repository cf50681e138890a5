#include <set>
#include <unordered_map>

#include "formats.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/text.hpp"

namespace newsmon::parsers {

std::string_view to_string(FeedFormat format) {
    switch (format) {
    case FeedFormat::rss2_0:
        return "rss2.0";
    case FeedFormat::rss1_0:
        return "rss1.0";
    case FeedFormat::rss0_9x:
        return "rss0.9x";
    case FeedFormat::atom1_0:
        return "atom1.0";
    case FeedFormat::atom0_3:
        return "atom0.3";
    case FeedFormat::jsonfeed:
        return "jsonfeed";
    }
    return "unknown";
}

namespace {

// pugixml reports a byte offset; people want line and column.
std::string describe_position(std::string_view bytes, std::ptrdiff_t offset) {
    std::size_t line = 1, column = 1;
    auto end =
        std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)), bytes.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace

tl::expected<Feed, ParseError> parse_feed(std::string_view bytes, const ParseOptions& options) {
    pugi::xml_document document;
    // No DTD processing: pugixml never expands entities declared in a DOCTYPE.
    auto result = document.load_buffer(bytes.data(), bytes.size(),
                                       pugi::parse_default & ~pugi::parse_doctype);
    if (!result)
        return tl::unexpected(
            ParseError{ParseErrorKind::not_xml,
                       describe_position(bytes, result.offset) + ": " + result.description()});
    pugi::xml_node root = document.document_element();
    std::string_view name = root.name();
    if (name == "rss") {
        std::string_view version = root.attribute("version").as_string("2.0");
        FeedFormat format = version.starts_with("0.9") ? FeedFormat::rss0_9x : FeedFormat::rss2_0;
        Feed feed = detail::parse_rss(root.child("channel"), format, options);
        detail::assign_stable_guids(feed);
        return feed;
    }
    if (name == "html" || name == "HTML")
        return tl::unexpected(ParseError{ParseErrorKind::not_a_feed, "an HTML page, not a feed"});
    return tl::unexpected(ParseError{ParseErrorKind::unsupported_format,
                                     "root element <" + std::string(name) +
                                         "> is not a feed format this version reads"});
}

void keep_categories(Feed& feed, const std::vector<std::string>& wanted) {
    if (wanted.empty())
        return;
    std::erase_if(feed.items, [&](const Item& item) {
        for (const auto& category : item.categories)
            for (const auto& w : wanted)
                if (iequals_ascii(collapse_whitespace(category), w))
                    return false;
        return true;
    });
}

namespace detail {

pugi::xml_node child_local(pugi::xml_node parent, std::string_view prefixed_name) {
    std::string_view local = prefixed_name.substr(prefixed_name.find(':') + 1);
    for (pugi::xml_node child : parent.children()) {
        std::string_view child_name = child.name();
        if (child_name == prefixed_name)
            return child;
        auto colon = child_name.find(':');
        if (prefixed_name.find(':') != std::string_view::npos && colon != std::string_view::npos &&
            child_name.substr(colon + 1) == local)
            return child;
    }
    return {};
}

void assign_stable_guids(Feed& feed) {
    std::unordered_map<std::string, int> guid_counts;
    for (const auto& item : feed.items)
        if (!item.guid.empty())
            ++guid_counts[item.guid];
    bool warned_repeats = false;
    std::set<std::string> taken;
    for (auto& item : feed.items) {
        if (!item.guid.empty() && guid_counts[item.guid] > 1) {
            if (!warned_repeats)
                feed.warnings.push_back("guid repeats across different items; using links");
            warned_repeats = true;
            item.guid.clear();
        }
        if (item.guid.empty())
            item.guid = item.link;
        if (item.guid.empty() || taken.contains(item.guid)) {
            std::string date = item.published ? format_rfc3339(*item.published) : "";
            item.guid = "hash:" + stable_hash_hex(item.title + '\n' + date + '\n' + item.summary);
        }
        taken.insert(item.guid);
    }
}

std::string resolve_url(std::string_view base, std::string_view reference) {
    std::string ref = collapse_whitespace(reference);
    if (ref.empty() || base.empty())
        return ref;
    auto scheme_end = ref.find(':');
    auto first_slash = ref.find('/');
    if (scheme_end != std::string::npos && scheme_end < first_slash)
        return ref; // already absolute
    auto base_scheme_end = base.find("://");
    if (base_scheme_end == std::string_view::npos)
        return ref;
    if (ref.starts_with("//"))
        return std::string(base.substr(0, base_scheme_end + 1)) + ref;
    auto authority_end = base.find('/', base_scheme_end + 3);
    std::string_view origin = base.substr(0, authority_end);
    if (ref.starts_with('/'))
        return std::string(origin) + ref;
    std::string_view path =
        authority_end == std::string_view::npos ? "/" : base.substr(authority_end);
    path = path.substr(0, path.find_first_of("?#"));
    if (ref.starts_with('?') || ref.starts_with('#'))
        return std::string(origin) + std::string(path) + ref;
    return std::string(origin) + std::string(path.substr(0, path.rfind('/') + 1)) + ref;
}

} // namespace detail
} // namespace newsmon::parsers

// The normalized feed model shared by every format, and the entry point that parses bytes into it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace newsmon::parsers {

using Timestamp = std::chrono::sys_seconds;

struct Enclosure {
    std::string url;
    std::optional<std::string> type;
    std::optional<std::int64_t> length;
};

struct Item {
    std::string guid;
    std::string title;
    std::string link;
    std::optional<Timestamp> published;
    std::optional<Timestamp> updated;
    std::vector<std::string> authors;
    std::vector<std::string> categories;
    std::string summary;
    std::optional<std::string> content_html;
    std::vector<Enclosure> enclosures;
};

enum class FeedFormat { rss2_0, rss1_0, rss0_9x, atom1_0, atom0_3, jsonfeed };

[[nodiscard]] std::string_view to_string(FeedFormat format);

struct Feed {
    FeedFormat format = FeedFormat::rss2_0;
    std::string title;
    std::string link;
    std::string description;
    std::optional<std::string> language;
    std::optional<Timestamp> updated;
    std::optional<int> ttl_minutes;
    std::vector<Item> items;
    std::vector<std::string> warnings;
};

struct ParseOptions {
    std::string feed_url; // base for relative links; may be empty
    std::size_t max_items = 100'000;
};

enum class ParseErrorKind { not_xml, not_a_feed, unsupported_format };

struct ParseError {
    ParseErrorKind kind;
    std::string message; // names the place: "line 3, column 7: ..." or the offending root element
};

[[nodiscard]] tl::expected<Feed, ParseError> parse_feed(std::string_view bytes,
                                                        const ParseOptions& options = {});

// Keeps only the items filed under at least one of `wanted` (compared case-insensitively for
// ASCII letters). An empty `wanted` keeps everything.
void keep_categories(Feed& feed, const std::vector<std::string>& wanted);

} // namespace newsmon::parsers

// The normalized feed model shared by every format, and the entry point that parses bytes into it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
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

// An item's text. The items of a parsed feed keep theirs in one arena they share, so a feed of
// thousands of items is allocated and freed in a few large blocks; text set elsewhere lives
// on the heap as usual.
using Text = std::pmr::string;
using TextList = std::pmr::vector<Text>;

// Keeps alive the memory an item's text was allocated from. A copy's text is on the heap, so a
// copy holds none. Moving brings the memory along: text moved in may still live there (an
// empty optional string is moved into, not assigned), so an assigned-to item keeps its own
// memory and the other's too.
class TextMemory {
public:
    TextMemory() = default;
    explicit TextMemory(std::shared_ptr<std::pmr::memory_resource> memory)
        : m_memory(std::move(memory)) {}
    TextMemory(const TextMemory& /*other*/) {}
    TextMemory(TextMemory&& other) noexcept = default;
    TextMemory& operator=(const TextMemory& /*other*/) { return *this; }
    TextMemory& operator=(TextMemory&& other);
    ~TextMemory() = default;

    // The memory the item's own text is allocated from; the heap's when it holds none.
    [[nodiscard]] std::pmr::memory_resource* get() const {
        return m_memory ? m_memory.get() : std::pmr::get_default_resource();
    }

private:
    std::shared_ptr<std::pmr::memory_resource> m_memory;
};

struct Item {
    Item() = default;
    // An item whose text is allocated from `memory`, which it keeps alive.
    explicit Item(std::shared_ptr<std::pmr::memory_resource> memory);

    // First, so that it is released after the text that lives in it.
    TextMemory memory;
    Text guid;
    Text title;
    Text link;
    std::optional<Timestamp> published;
    std::optional<Timestamp> updated;
    TextList authors;
    TextList categories;
    Text summary;
    std::optional<Text> content_html;
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
    std::string feed_url;     // where the feed came from: the base for relative links
    std::string content_type; // the HTTP Content-Type, for its charset; may be empty
    std::size_t max_bytes = 64U << 20;
    std::size_t max_items = 100'000;
    std::size_t max_depth = 256;
    // The feed's encoding as its configuration gives it, over the HTTP charset and the XML
    // declaration (a byte order mark still wins); empty: none given.
    std::string charset;
};

enum class ParseErrorKind { not_xml, not_a_feed, too_large, too_deep };

struct ParseError {
    ParseErrorKind kind;
    std::string message; // one line; names the place ("line 3, column 7: ...") where there is one
    // For an HTML page: the feeds it advertises with <link rel="alternate">, absolute.
    std::vector<std::string> advertised_feeds;
};

// Detects the format from the content (never from the URL or Content-Type), decodes the
// text, repairs what the broken web breaks, and normalizes every item. Recovered problems are
// listed in Feed::warnings; input that is no feed at all is a ParseError.
[[nodiscard]] tl::expected<Feed, ParseError> parse_feed(std::string_view bytes,
                                                        const ParseOptions& options = {});

// The feed as the JSON document `newsmon parse --json` prints (keys in the documented order).
[[nodiscard]] std::string to_json(const Feed& feed, int indent = 2);

// Keeps only the items filed under at least one of `wanted` (compared case-insensitively for
// ASCII letters). An empty `wanted` keeps everything.
void keep_categories(Feed& feed, const std::vector<std::string>& wanted);

} // namespace newsmon::parsers

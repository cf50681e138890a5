// Internal: one parser per feed format, and what they share.
#pragma once

#include <cstdint>

#include <pugixml.hpp>

#include "newsmon/parsers/feed.hpp"
#include "text_arena.hpp"
#include "xml_support.hpp"

namespace newsmon::parsers::detail {

// Whether the guids of a feed's items are all present and distinct, learnt item by item
// while each guid is still in the cache: one open-addressing table of hashes and item
// indexes, strings compared only when two hashes agree.
class GuidIndex {
public:
    // Notes the guid of items[index]; items come in order, each once.
    void add(const std::vector<Item>& items, std::size_t index);
    // True when every item noted has a guid and no two share one.
    [[nodiscard]] bool unique_and_present() const { return m_unique; }
    [[nodiscard]] std::size_t size() const { return m_used; }

private:
    struct Slot { // eight bytes: the table of a large feed stays small beside its text
        std::uint32_t hash = 0;
        std::uint32_t item = 0; // the index of the item, plus one; 0: empty
    };
    void insert(Slot slot);
    void grow();

    std::vector<Slot> m_slots;
    std::size_t m_used = 0;
    bool m_unique = true;
};

// What every format parser carries while it fills a Feed.
struct Context {
    Feed& feed;
    const ParseOptions& options;
    std::string base; // the feed URL, else the channel link: where relative links point
    std::shared_ptr<TextArena> arena = std::make_shared<TextArena>(); // the items' text
    bool links_dropped = false; // an item's link was no web link, and was dropped
    GuidIndex guids{};          // the guids of the items finished so far

    // The items leave the parse here: from now on any thread may change them.
    ~Context() { arena->seal(); }

    // Parses a date, warning when the text is not one; `field` names it ("pubDate"), and
    // `in_item` says whether it belongs to the item being read or to the channel.
    std::optional<Timestamp> date(std::string_view text, std::string_view field,
                                  bool in_item = true);
    // False, with one warning, once options.max_items items are in.
    bool room_for_item();
    // The item about to be read, in place at the end of the feed. The item read before it is
    // finished first (finish_item).
    Item& new_item() {
        if (!feed.items.empty())
            finish_item();
        return feed.items.emplace_back(arena);
    }
    // Once the last item is read, before the format parser returns the feed: finishes that
    // item, drops the feed's link when it is no web link, warns once about dropped links, and
    // gives items without a trustworthy guid one (assign_stable_guids).
    void finish_items();
    [[nodiscard]] std::string item_label() const; // "item 3": the one being read

private:
    // What is checked of each item as soon as it is read, while its text is in the cache
    // (a pass over the items of a large feed after the parse would wait on memory for each):
    // its link is kept only when it is a web link, and its guid goes into `guids`.
    void finish_item();
};

[[nodiscard]] Feed parse_rss(pugi::xml_node root, const ParseOptions& options);
[[nodiscard]] Feed parse_rdf(pugi::xml_node root, const ParseOptions& options);
[[nodiscard]] Feed parse_atom(pugi::xml_node root, const ParseOptions& options);
[[nodiscard]] tl::expected<Feed, ParseError> parse_json_feed(std::string_view text,
                                                             const ParseOptions& options);

// An Atom text construct (title, summary, content; also atom:summary and atom:content inside
// RSS) by its type: as plain text, and as sanitized HTML (nullopt when absent or external).
[[nodiscard]] std::string atom_plain_text(pugi::xml_node node);
[[nodiscard]] std::optional<std::string> atom_html_of(pugi::xml_node node, const std::string& base);

// An item's text from collapse_whitespace or resolve_url, set without a temporary string when
// the input is already the result (most guids and links).
void set_collapsed(Text& field, std::string_view text);
void set_resolved_url(Text& field, std::string_view base, std::string_view reference);

// Appends `value` unless it is empty or already there.
template <typename Strings> void add_unique(Strings& values, std::string_view value) {
    if (value.empty())
        return;
    for (const auto& existing : values)
        if (existing == value)
            return;
    values.emplace_back(value);
}
// Appends an author ("Name <email>" or either part) unless the same person is there: a name
// alone and the same name with an address are one person, kept with the address.
template <typename Strings> void add_author(Strings& authors, std::string_view author) {
    if (author.empty())
        return;
    auto name_of = [](std::string_view person) {
        std::size_t open = person.find(" <");
        return open != std::string_view::npos && person.ends_with('>') ? person.substr(0, open)
                                                                       : person;
    };
    for (auto& existing : authors) {
        if (existing == author || name_of(existing) == author)
            return;
        if (existing == name_of(author)) {
            existing = author;
            return;
        }
    }
    authors.emplace_back(author);
}
void add_enclosure(Item& item, Enclosure enclosure);
// Sets the item's content_html, in the memory that holds the rest of its text: `html` as it
// is, or sanitized.
void set_content_html(Item& item, std::string_view html);
void set_sanitized_content_html(Item& item, std::string_view html, std::string_view base_url);
[[nodiscard]] std::optional<std::int64_t> parse_length(std::string_view text);
// An author as "Name <email>", or whichever of the two is there.
[[nodiscard]] std::string format_person(std::string_view name, std::string_view email);
// "editor@example.com (Jane Doe)" (RSS 2.0's form) and "Jane Doe (editor@example.com)" ->
// "Jane Doe <editor@example.com>"; plain names and addresses pass through.
[[nodiscard]] std::string clean_author(std::string_view text);
// An author element's text, whose markup is read as HTML: clean_author of its text, and
// "Jane Doe <editor@example.com>" kept whole (the address is not a tag).
[[nodiscard]] std::string author_from_markup(std::string_view text);
// One <enclosure>, media:content, media:thumbnail or media:group element of an item.
void read_medium(pugi::xml_node node, Item& item, const std::string& base);
// Every such element among the children of `parent`.
void read_media(pugi::xml_node parent, Item& item, const std::string& base);

// Gives items without a trustworthy guid one: the link, else a hash of title, date and summary.
// `guids` has noted every item; nothing is done when it found them all present and distinct.
void assign_stable_guids(Feed& feed, const GuidIndex& guids);

} // namespace newsmon::parsers::detail

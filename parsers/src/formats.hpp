// Internal: one parser per feed format, and what they share.
#pragma once

#include <pugixml.hpp>

#include "newsmon/parsers/feed.hpp"
#include "text_arena.hpp"
#include "xml_support.hpp"

namespace newsmon::parsers::detail {

// What every format parser carries while it fills a Feed.
struct Context {
    Feed& feed;
    const ParseOptions& options;
    std::string base; // the feed URL, else the channel link: where relative links point
    std::shared_ptr<TextArena> arena = std::make_shared<TextArena>(); // the items' text

    // The items leave the parse here: from now on any thread may change them.
    ~Context() { arena->seal(); }

    // Parses a date, warning when the text is not one; `field` names it ("pubDate"), and
    // `in_item` says whether it belongs to the item being read or to the channel.
    std::optional<Timestamp> date(std::string_view text, std::string_view field,
                                  bool in_item = true);
    // False, with one warning, once options.max_items items are in.
    bool room_for_item();
    // The item about to be read, in place at the end of the feed.
    Item& new_item() { return feed.items.emplace_back(arena); }
    [[nodiscard]] std::string item_label() const; // "item 3": the one being read
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

// An item's text from html_to_text, collapse_whitespace or resolve_url, set without a
// temporary string when the input is already the result (most titles, guids and links).
void set_plain_text(Text& field, std::string_view html);
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
// "editor@example.com (Jane Doe)" (RSS 2.0's form) -> "Jane Doe <editor@example.com>"; plain
// names and addresses pass through.
[[nodiscard]] std::string clean_author(std::string_view text);
// One <enclosure>, media:content, media:thumbnail or media:group element of an item.
void read_medium(pugi::xml_node node, Item& item, const std::string& base);
// Every such element among the children of `parent`.
void read_media(pugi::xml_node parent, Item& item, const std::string& base);

// Gives items without a trustworthy guid one: the link, else a hash of title, date and summary.
void assign_stable_guids(Feed& feed);

// Drops item and feed links that are not web links (javascript:, data:, any scheme but http
// and https), with one warning: they are stored, shown and put into alert e-mails as links.
void keep_web_links(Feed& feed);

} // namespace newsmon::parsers::detail

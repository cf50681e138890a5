#include <charconv>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "formats.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers::detail {

std::optional<Timestamp> Context::date(std::string_view text, std::string_view field,
                                       bool in_item) {
    if (text.empty())
        return std::nullopt;
    auto instant = parse_date(text);
    if (!instant) {
        std::string trimmed = collapse_whitespace(text);
        if (trimmed.empty())
            return std::nullopt;
        std::string where = in_item ? item_label() + " " : std::string("channel ");
        feed.warnings.push_back(where + std::string(field) + ": unparseable date \"" + trimmed +
                                "\"");
    }
    return instant;
}

bool Context::room_for_item() {
    if (feed.items.size() < options.max_items)
        return true;
    if (feed.warnings.empty() || !feed.warnings.back().starts_with("item limit"))
        feed.warnings.push_back("item limit of " + std::to_string(options.max_items) +
                                " reached; later items ignored");
    return false;
}

std::string Context::item_label() const {
    return "item " + std::to_string(feed.items.size());
}

void set_plain_text(Text& field, std::string_view html) {
    if (is_plain_text(html))
        field.assign(html);
    else
        field.assign(html_to_text(html));
}

void set_collapsed(Text& field, std::string_view text) {
    if (is_collapsed(text))
        field.assign(text);
    else
        field.assign(collapse_whitespace(text));
}

void set_resolved_url(Text& field, std::string_view base, std::string_view reference) {
    if (auto itself = resolves_to_itself(base, reference))
        field.assign(*itself);
    else
        field.assign(resolve_url(base, reference));
}

void set_content_html(Item& item, std::string_view html) {
    item.content_html.emplace(html, item.summary.get_allocator());
}

void set_sanitized_content_html(Item& item, std::string_view html, std::string_view base_url) {
    sanitize_html_into(html, base_url, item.content_html.emplace(item.summary.get_allocator()));
}

void add_enclosure(Item& item, Enclosure enclosure) {
    if (enclosure.url.empty())
        return;
    for (auto& existing : item.enclosures) {
        if (existing.url == enclosure.url) {
            if (!existing.type)
                existing.type = enclosure.type;
            if (!existing.length)
                existing.length = enclosure.length;
            return;
        }
    }
    item.enclosures.push_back(std::move(enclosure));
}

std::optional<std::int64_t> parse_length(std::string_view text) {
    std::string trimmed = collapse_whitespace(text);
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
    if (error != std::errc{} || end != trimmed.data() + trimmed.size() || value < 0)
        return std::nullopt;
    return value;
}

std::string format_person(std::string_view name, std::string_view email) {
    std::string clean_name = collapse_whitespace(name);
    std::string clean_email = collapse_whitespace(email);
    if (clean_name.empty() || clean_name == clean_email)
        return clean_email;
    if (clean_email.empty())
        return clean_name;
    return clean_name + " <" + clean_email + ">";
}

std::string clean_author(std::string_view text) {
    std::string author = collapse_whitespace(text);
    auto open = author.find('(');
    if (open != std::string::npos && author.ends_with(')') && author.find('@') < open)
        return format_person(author.substr(open + 1, author.size() - open - 2),
                             std::string_view(author).substr(0, open));
    if (author.starts_with("mailto:"))
        author.erase(0, 7);
    return author;
}

void read_medium(pugi::xml_node node, Item& item, const std::string& base) {
    bool enclosure_element = is_plain(node, "enclosure");
    if (!enclosure_element && ns_of(node) != Ns::media)
        return;
    std::string_view local = local_name(node);
    if (local == "group") {
        read_media(node, item, base);
        return;
    }
    if (!enclosure_element && local != "content" && local != "thumbnail")
        return;
    const char* size_attribute = enclosure_element ? "length" : "fileSize";
    Enclosure enclosure{resolve_url(base, node.attribute("url").value()), std::nullopt,
                        parse_length(node.attribute(size_attribute).value())};
    if (std::string type = node.attribute("type").value(); !type.empty())
        enclosure.type = std::move(type);
    add_enclosure(item, std::move(enclosure));
}

void read_media(pugi::xml_node parent, Item& item, const std::string& base) {
    for (pugi::xml_node node = parent.first_child(); node; node = node.next_sibling())
        if (node.type() == pugi::node_element)
            read_medium(node, item, base);
}

namespace {

// True when every item has a guid and no two share one: the common case, checked with one
// open-addressing table and no allocation per item. The table keeps each guid's hash, so
// that a probe compares strings only when the hashes agree.
bool guids_unique_and_present(const std::vector<Item>& items) {
    std::size_t slots = 16;
    while (slots < items.size() * 2)
        slots *= 2;
    struct Slot {
        std::size_t hash = 0;
        const Text* guid = nullptr;
    };
    std::vector<Slot> table(slots);
    std::hash<std::string_view> hash_of;
    constexpr std::size_t k_ahead = 8; // guids live apart on the heap: ask for them early
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i + k_ahead < items.size())
            __builtin_prefetch(items[i + k_ahead].guid.data());
        const Item& item = items[i];
        if (item.guid.empty())
            return false;
        std::size_t hash = hash_of(item.guid);
        for (std::size_t at = hash & (slots - 1);; at = (at + 1) & (slots - 1)) {
            Slot& slot = table[at];
            if (!slot.guid) {
                slot = {hash, &item.guid};
                break;
            }
            if (slot.hash == hash && *slot.guid == item.guid)
                return false;
        }
    }
    return true;
}

} // namespace

void keep_web_links(Feed& feed) {
    bool dropped = false;
    for (auto& item : feed.items) {
        if (!item.link.empty() && !is_web_link(item.link)) {
            item.link.clear();
            dropped = true;
        }
    }
    if (!feed.link.empty() && !is_web_link(feed.link)) {
        feed.link.clear();
        dropped = true;
    }
    if (dropped)
        feed.warnings.push_back("links with a scheme other than http or https were dropped");
}

void assign_stable_guids(Feed& feed) {
    if (guids_unique_and_present(feed.items))
        return;
    std::unordered_map<std::string_view, int> guid_counts;
    guid_counts.reserve(feed.items.size());
    for (const auto& item : feed.items)
        if (!item.guid.empty())
            ++guid_counts[item.guid];
    std::vector<std::size_t> untrusted;
    for (std::size_t i = 0; i < feed.items.size(); ++i)
        if (!feed.items[i].guid.empty() && guid_counts[feed.items[i].guid] > 1)
            untrusted.push_back(i);
    if (!untrusted.empty())
        feed.warnings.push_back("the same guid is given to different items; using their links "
                                "instead");
    guid_counts.clear(); // its keys point into the guids about to change
    for (std::size_t i : untrusted)
        feed.items[i].guid.clear();
    std::unordered_set<std::string_view> taken; // each guid is final once it is in here
    taken.reserve(feed.items.size());
    for (auto& item : feed.items) {
        if (item.guid.empty())
            item.guid = item.link;
        if (item.guid.empty() || taken.contains(item.guid)) {
            std::string date = item.published ? format_rfc3339(*item.published) : "";
            std::string identity = std::string(item.title) + '\n' + date + '\n';
            identity += item.summary;
            item.guid = "hash:" + stable_hash_hex(identity);
        }
        taken.insert(item.guid);
    }
}

} // namespace newsmon::parsers::detail

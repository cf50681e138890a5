#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>

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

namespace {

// "editor@example.com", as a name's companion in brackets: one word holding an '@'.
bool is_address(std::string_view text) {
    return text.find('@') != std::string_view::npos &&
           text.find_first_of(" \t\r\n<>()\"") == std::string_view::npos;
}

// An address without the "mailto:" some feeds write before it.
std::string_view without_mailto(std::string_view address) {
    return address.starts_with("mailto:") ? address.substr(7) : address;
}

} // namespace

std::string clean_author(std::string_view text) {
    std::string author = collapse_whitespace(text);
    auto open = author.rfind('(');
    if (open != std::string::npos && author.ends_with(')')) {
        std::string_view outside = std::string_view(author).substr(0, open);
        std::string_view inside =
            std::string_view(author).substr(open + 1, author.size() - open - 2);
        if (author.find('@') < open) // RSS 2.0's "editor@example.com (Jane Doe)"
            return format_person(inside, outside);
        inside = without_mailto(inside); // "Jane Doe (mailto:editor@example.com)"
        if (is_address(inside))          // "Jane Doe (editor@example.com)"
            return format_person(outside, inside);
    }
    return std::string(without_mailto(author));
}

std::string author_from_markup(std::string_view text) {
    // "Jane Doe <editor@example.com>": the brackets enclose the address, not a tag
    std::string_view trimmed = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
    auto open = trimmed.rfind('<');
    if (open != std::string_view::npos && trimmed.ends_with('>')) {
        std::string_view inside =
            without_mailto(trimmed.substr(open + 1, trimmed.size() - open - 2));
        if (is_address(inside))
            return format_person(html_to_text(trimmed.substr(0, open)), inside);
    }
    return clean_author(html_to_text(text));
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

// Clears a link that is not a web link (javascript:, data:, any scheme but http and https):
// links are stored, shown and put into alert e-mails. True when it cleared one.
template <typename String> bool drop_unless_web_link(String& link) {
    if (link.empty() || is_web_link(link))
        return false;
    link.clear();
    return true;
}

} // namespace

void GuidIndex::add(const std::vector<Item>& items, std::size_t index) {
    ++m_used;
    if (!m_unique)
        return;
    const Text& guid = items[index].guid;
    if (guid.empty() || index >= UINT32_MAX) { // (so many items: the full check decides)
        m_unique = false;
        return;
    }
    if (m_used * 2 > m_slots.size())
        grow();
    auto hash = static_cast<std::uint32_t>(std::hash<std::string_view>{}(guid));
    std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        Slot& slot = m_slots[at];
        if (slot.item == 0) {
            slot = {hash, static_cast<std::uint32_t>(index + 1)};
            return;
        }
        if (slot.hash == hash && items[slot.item - 1].guid == guid) {
            m_unique = false;
            return;
        }
    }
}

void GuidIndex::insert(Slot slot) {
    std::size_t mask = m_slots.size() - 1;
    std::size_t at = slot.hash & mask;
    while (m_slots[at].item != 0)
        at = (at + 1) & mask;
    m_slots[at] = slot;
}

// Doubles the table, placing each entry again by the hash it keeps: no guid is read.
void GuidIndex::grow() {
    std::vector<Slot> old =
        std::exchange(m_slots, std::vector<Slot>(std::max<std::size_t>(16, m_slots.size() * 2)));
    for (const Slot& slot : old)
        if (slot.item != 0)
            insert(slot);
}

void Context::finish_item() {
    std::size_t index = feed.items.size() - 1;
    links_dropped = drop_unless_web_link(feed.items[index].link) || links_dropped;
    guids.add(feed.items, index);
}

void Context::finish_items() {
    if (!feed.items.empty())
        finish_item();
    links_dropped = drop_unless_web_link(feed.link) || links_dropped;
    if (links_dropped)
        feed.warnings.emplace_back("links with a scheme other than http or https were dropped");
    assign_stable_guids(feed, guids);
}

void assign_stable_guids(Feed& feed, const GuidIndex& guids) {
    if (guids.size() == feed.items.size() && guids.unique_and_present())
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

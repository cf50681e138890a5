#include "xml_support.hpp"

#include <array>
#include <optional>
#include <vector>

#include "cdata_skeleton.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::detail {
namespace {

struct KnownNamespace {
    std::string_view uri;
    Ns ns;
};

constexpr std::array<KnownNamespace, 25> k_known = {{
    {"http://www.w3.org/2005/Atom", Ns::atom10},
    {"http://purl.org/atom/ns#", Ns::atom03},
    // Atom's names before 0.3 (Echo, Pie, Necho), still met in archived feeds
    {"http://purl.org/echo/", Ns::atom03},
    {"http://purl.org/pie/", Ns::atom03},
    {"http://example.com/necho", Ns::atom03},
    {"http://example.com/newformat#", Ns::atom03},
    // RSS 2.0 has no namespace, but UserLand's tools, and feeds that copied them, used these
    {"http://backend.userland.com/rss2", Ns::rss20},
    {"http://backend.userland.com/rss", Ns::rss20},
    {"http://blogs.law.harvard.edu/tech/rss", Ns::rss20},
    {"http://purl.org/rss/1.0/", Ns::rss10},
    {"http://my.netscape.com/rdf/simple/0.9/", Ns::rss090},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", Ns::rdf},
    {"http://purl.org/dc/elements/1.1/", Ns::dc},
    {"http://purl.org/dc/terms/", Ns::dcterms},
    {"http://purl.org/rss/1.0/modules/content/", Ns::content},
    {"http://search.yahoo.com/mrss/", Ns::media},
    {"http://search.yahoo.com/mrss", Ns::media},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", Ns::itunes},
    // as early podcast generators capitalized it
    {"http://www.itunes.com/DTDs/Podcast-1.0.dtd", Ns::itunes},
    {"http://www.itunes.com/DTDs/PodCast-1.0.dtd", Ns::itunes},
    {"http://purl.org/rss/1.0/modules/syndication/", Ns::sy},
    {"http://www.w3.org/XML/1998/namespace", Ns::xml},
    {"http://www.w3.org/1999/xhtml", Ns::xhtml},
    {"http://news.yandex.ru", Ns::yandex},
    {"http://turbo.yandex.ru", Ns::turbo},
}};

Ns from_uri(std::string_view uri) {
    for (const auto& known : k_known)
        if (known.uri == uri)
            return known.ns;
    // The Internet-Drafts that became Atom 1.0 named their own namespace.
    if (uri.starts_with("http://purl.org/atom/ns#draft-ietf-atompub-format-"))
        return Ns::atom10;
    return Ns::other;
}

Ns conventional(std::string_view prefix) {
    if (prefix == "dc")
        return Ns::dc;
    if (prefix == "dcterms")
        return Ns::dcterms;
    if (prefix == "content")
        return Ns::content;
    if (prefix == "media")
        return Ns::media;
    if (prefix == "itunes")
        return Ns::itunes;
    if (prefix == "sy")
        return Ns::sy;
    if (prefix == "atom" || prefix == "atom10")
        return Ns::atom10;
    if (prefix == "rdf")
        return Ns::rdf;
    if (prefix == "xhtml")
        return Ns::xhtml;
    if (prefix == "xml")
        return Ns::xml;
    if (prefix == "yandex")
        return Ns::yandex;
    if (prefix == "turbo")
        return Ns::turbo;
    return Ns::other;
}

std::string_view prefix_of(std::string_view name) {
    auto colon = name.find(':');
    return colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
}

} // namespace

std::string_view local_name(pugi::xml_node node) {
    std::string_view name = node.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

namespace {

// The namespace `element` itself binds `prefix` to, if it declares one.
std::optional<Ns> declared_at(pugi::xml_node element, std::string_view prefix) {
    for (pugi::xml_attribute attribute = element.first_attribute(); attribute;
         attribute = attribute.next_attribute()) {
        std::string_view name = attribute.name();
        if (!name.starts_with("xmlns"))
            continue;
        bool match = prefix.empty() ? name.size() == 5
                                    : name.size() == 6 + prefix.size() && name[5] == ':' &&
                                          name.substr(6) == prefix;
        if (match)
            return from_uri(attribute.value());
    }
    return std::nullopt;
}

Ns undeclared(std::string_view prefix) {
    return prefix.empty() ? Ns::none : conventional(prefix);
}

// What `prefix` means at `scope`, from the declarations there and above.
Ns resolve_prefix(pugi::xml_node scope, std::string_view prefix) {
    for (; scope && scope.type() == pugi::node_element; scope = scope.parent())
        if (auto ns = declared_at(scope, prefix))
            return *ns;
    return undeclared(prefix);
}

} // namespace

Ns ns_of(pugi::xml_node node) {
    std::string_view prefix = prefix_of(node.name());
    return prefix == "xml" ? Ns::xml : resolve_prefix(node, prefix);
}

Ns NamespaceMemo::ns_of(pugi::xml_node node) {
    std::string_view prefix = prefix_of(node.name());
    if (prefix == "xml")
        return Ns::xml;
    pugi::xml_node scope = node;
    for (; scope && scope != m_scope && scope.type() == pugi::node_element; scope = scope.parent())
        if (auto ns = declared_at(scope, prefix))
            return *ns;
    if (scope != m_scope)
        return undeclared(prefix); // not below the shared scope after all
    return at_shared_scope(prefix);
}

void NamespaceMemo::enter(pugi::xml_node parent) {
    m_entered_is_plain = parent.parent() == m_scope;
    for (pugi::xml_attribute attribute = parent.first_attribute(); attribute && m_entered_is_plain;
         attribute = attribute.next_attribute())
        m_entered_is_plain = !std::string_view(attribute.name()).starts_with("xmlns");
}

Ns NamespaceMemo::ns_of_child(pugi::xml_node child) {
    if (!m_entered_is_plain)
        return ns_of(child);
    std::string_view prefix = prefix_of(child.name());
    if (prefix == "xml")
        return Ns::xml;
    if (auto ns = declared_at(child, prefix))
        return *ns;
    return at_shared_scope(prefix);
}

Ns NamespaceMemo::at_shared_scope(std::string_view prefix) {
    for (const auto& [known_prefix, ns] : m_known)
        if (known_prefix == prefix)
            return ns;
    Ns ns = resolve_prefix(m_scope, prefix);
    m_known.emplace_back(prefix, ns);
    return ns;
}

bool is(pugi::xml_node node, Ns ns, std::string_view local) {
    return node.type() == pugi::node_element && local_name(node) == local && ns_of(node) == ns;
}

bool is_plain(pugi::xml_node node, std::string_view local) {
    return node.type() == pugi::node_element && std::string_view(node.name()) == local;
}

pugi::xml_node child(pugi::xml_node parent, Ns ns, std::string_view local) {
    for (pugi::xml_node node : parent.children())
        if (is(node, ns, local))
            return node;
    return {};
}

pugi::xml_node plain_child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node node : parent.children())
        if (is_plain(node, local))
            return node;
    return {};
}

namespace {

// The text of one text or CDATA node.
std::string_view character_data(pugi::xml_node node) {
    return node.type() == pugi::node_cdata ? CdataSkeletonInUse::content_of(node.value())
                                           : std::string_view(node.value());
}

bool is_character_data(pugi::xml_node node) {
    return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

bool is_url_attribute(std::string_view name) {
    return name == "href" || name == "src" || name == "cite" || name == "poster";
}

// How write_markup prints: character data escaped (XML text, as in Atom xhtml) or as it is
// (RSS and Atom html, whose text is HTML already); URLs made absolute against the xml:base
// in effect when an element inside declares one.
struct MarkupStyle {
    bool escape_text = true;
};

// An element's name as HTML knows it: "xhtml:p", or "h:p" with h bound to XHTML, is <p>. Only
// a prefixed name looks its declaration up (content written with prefixes is rare, and that
// walk costs the depth).
std::string_view printed_name(pugi::xml_node node) {
    std::string_view name = node.name();
    std::string_view prefix = prefix_of(name);
    if (prefix.empty())
        return name;
    if (prefix == "xhtml" || prefix == "html" || resolve_prefix(node, prefix) == Ns::xhtml)
        return local_name(node);
    return name;
}

thread_local std::string_view t_parsed_text;

void write_start_tag(pugi::xml_node node, const std::string& base, const MarkupStyle& style,
                     std::string& out) {
    out += '<';
    out += printed_name(node);
    for (pugi::xml_attribute attribute : node.attributes()) {
        std::string_view name = attribute.name();
        if (name == "xml:base")
            continue;
        out += ' ';
        out += name;
        out += "=\"";
        if (!base.empty() && is_url_attribute(name))
            out += escape_html(resolve_url(base, attribute.value()));
        else
            out += escape_html(attribute.value());
        out += '"';
    }
    out += '>';
    // leading text the element keeps itself
    out += style.escape_text ? escape_html(node.value()) : std::string(node.value());
}

// Markup of `root` and everything under it, as XML; comments and processing instructions
// left out. A stack of its own rather than recursion, so that no nesting the caller allows
// can run out of stack: each element is entered, then its children, then left. `base` is
// the xml:base in effect above `root` when one inside the text matters, else empty.
void write_markup(pugi::xml_node root, std::string base, const MarkupStyle& style,
                  std::string& out) {
    struct Step {
        pugi::xml_node node;
        bool leaving;
        std::size_t bases; // how many bases were on the stack when the element was entered
    };
    std::vector<std::string> bases{std::move(base)};
    std::vector<Step> pending{{root, false, 0}};
    while (!pending.empty()) {
        auto [node, leaving, depth] = pending.back();
        pending.pop_back();
        if (leaving) {
            out += "</";
            out += printed_name(node);
            out += '>';
            bases.resize(depth);
        } else if (is_character_data(node)) {
            out += style.escape_text ? escape_html(character_data(node))
                                     : std::string(character_data(node));
        } else if (node.type() == pugi::node_element) {
            pugi::xml_node before = node.previous_sibling();
            if (before && before.type() == pugi::node_element &&
                ParsedTextInUse::space_before(node))
                out += ' '; // the white space pugixml dropped between two elements
            std::size_t entered = bases.size();
            if (node.attribute("xml:base"))
                bases.push_back(own_base(node, bases.back()));
            write_start_tag(node, bases.back(), style, out);
            pending.push_back({node, true, entered});
            for (pugi::xml_node part = node.last_child(); part; part = part.previous_sibling())
                pending.push_back({part, false, 0});
        }
    }
}

} // namespace

ParsedTextInUse::ParsedTextInUse(std::string_view parsed) : m_previous(t_parsed_text) {
    t_parsed_text = parsed;
}

ParsedTextInUse::~ParsedTextInUse() {
    t_parsed_text = m_previous;
}

bool ParsedTextInUse::space_before(pugi::xml_node element) {
    const char* name = element.name();
    const char* begin = t_parsed_text.data();
    // "<name" in the parsed text, with a character before the '<'
    if (name < begin + 2 || name >= begin + t_parsed_text.size() || name[-1] != '<')
        return false;
    char c = name[-2];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

NodeText text_of(pugi::xml_node node) {
    std::string_view embedded = node.value(); // leading text, kept in the element itself
    pugi::xml_node first = node.first_child();
    if (!first)
        return NodeText(embedded);
    if (embedded.empty() && !first.next_sibling() && is_character_data(first))
        return NodeText(character_data(first));
    std::string text(embedded);
    for (pugi::xml_node part : node.children())
        if (is_character_data(part))
            text += character_data(part);
    return NodeText(std::move(text));
}

std::string inner_xml(pugi::xml_node node, const std::string& base) {
    std::string out = escape_html(node.value());
    for (pugi::xml_node part : node.children())
        write_markup(part, base, MarkupStyle{}, out);
    return out;
}

NodeText markup_of(pugi::xml_node node, const std::string& base) {
    pugi::xml_node first = node.first_child();
    if (!first) // text only, kept in the element itself: most titles and descriptions
        return NodeText(std::string_view(node.value()));
    bool elements = false;
    for (pugi::xml_node part = first; part && !elements; part = part.next_sibling())
        elements = part.type() == pugi::node_element;
    if (!elements)
        return text_of(node);
    std::string out(node.value());
    for (pugi::xml_node part = first; part; part = part.next_sibling())
        write_markup(part, base, MarkupStyle{false}, out);
    return NodeText(std::move(out));
}

namespace {

// An xml:base that changes the base: present and not blank.
bool has_own_base(pugi::xml_attribute attribute) {
    std::string_view value = attribute.value();
    return attribute && value.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

} // namespace

std::string own_base(pugi::xml_node node, const std::string& base) {
    pugi::xml_attribute own = node.attribute("xml:base");
    return has_own_base(own) ? resolve_url(base, own.value()) : base;
}

std::string base_for(pugi::xml_node node, const std::string& base) {
    std::vector<std::string_view> chain;
    for (pugi::xml_node scope = node; scope && scope.type() == pugi::node_element;
         scope = scope.parent())
        if (pugi::xml_attribute attribute = scope.attribute("xml:base"); has_own_base(attribute))
            chain.push_back(attribute.value());
    std::string resolved = base;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        resolved = resolve_url(resolved, *it);
    return resolved;
}

std::string_view link_relation(pugi::xml_node link) {
    constexpr std::string_view k_registry = "http://www.iana.org/assignments/relation/";
    std::string_view rel = link.attribute("rel").as_string("alternate");
    if (rel.starts_with(k_registry) && rel.size() > k_registry.size())
        rel.remove_prefix(k_registry.size());
    return rel;
}

pugi::xml_attribute attribute_local(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_attribute attribute : node.attributes()) {
        std::string_view name = attribute.name();
        auto colon = name.find(':');
        if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local)
            return attribute;
    }
    return {};
}

} // namespace newsmon::parsers::detail

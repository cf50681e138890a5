// Internal: namespace-aware access to a pugixml tree, xml:base, and feed text values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace newsmon::parsers::detail {

enum class Ns {
    none, // no prefix and no default namespace
    other,
    atom10,
    atom03,
    rss10,
    rss090,
    rss20, // RSS 2.0's own elements under a namespace some generators gave them (UserLand's)
    rdf,
    dc,
    dcterms,
    content,
    media,
    itunes,
    sy,
    xhtml,
    xml,
    yandex, // Yandex.News feeds: yandex:full-text
    turbo,  // Yandex Turbo pages: turbo:content
};

// The namespace of an element, from the xmlns declarations in scope; undeclared but
// conventional prefixes (dc:, content:, media:, itunes:, sy:, atom:, yandex:, turbo:) get their
// usual namespace.
[[nodiscard]] Ns ns_of(pugi::xml_node node);

// ns_of for the many elements below one shared scope (the items of a channel): what the scope
// and its ancestors declare is looked up once per prefix. Lives no longer than the document.
class NamespaceMemo {
public:
    explicit NamespaceMemo(pugi::xml_node shared_scope) : m_scope(shared_scope) {}
    [[nodiscard]] Ns ns_of(pugi::xml_node node);

    // The element whose children are asked about next (an item): whether it declares any
    // namespace is looked at once here, not once per child.
    void enter(pugi::xml_node parent);
    // ns_of for a child of the element entered last.
    [[nodiscard]] Ns ns_of_child(pugi::xml_node child);

private:
    Ns at_shared_scope(std::string_view prefix);

    pugi::xml_node m_scope;
    bool m_entered_is_plain = false; // a child of the shared scope that declares nothing
    std::vector<std::pair<std::string_view, Ns>> m_known; // prefixes point into the document
};
[[nodiscard]] std::string_view local_name(pugi::xml_node node);
[[nodiscard]] bool is(pugi::xml_node node, Ns ns, std::string_view local);
// Unprefixed, whatever the default namespace: how RSS core elements appear.
[[nodiscard]] bool is_plain(pugi::xml_node node, std::string_view local);

[[nodiscard]] pugi::xml_node child(pugi::xml_node parent, Ns ns, std::string_view local);
[[nodiscard]] pugi::xml_node plain_child(pugi::xml_node parent, std::string_view local);

// The character data of an element: in the common case of one text or CDATA child, a view of
// the parsed document (valid while it lives); otherwise the pieces joined into its own string.
class NodeText {
public:
    NodeText() = default;
    explicit NodeText(std::string_view in_document) : m_view(in_document) {}
    explicit NodeText(std::string joined) : m_joined(std::move(joined)), m_owns(true) {}

    [[nodiscard]] std::string_view view() const { return m_owns ? m_joined : m_view; }
    operator std::string_view() const { return view(); } // NOLINT: used where text is wanted
    [[nodiscard]] bool empty() const { return view().empty(); }
    [[nodiscard]] std::string str() const { return std::string(view()); }

private:
    std::string_view m_view;
    std::string m_joined;
    bool m_owns = false;
};

// While one lives, inner_xml() and markup_of() on this thread find in `parsed` (the text pugixml
// parsed in place, so that element names point into it) the white space between two sibling
// elements, which pugixml does not keep as a node: "<a>known</a> <a>issue</a>" keeps its space.
class ParsedTextInUse {
public:
    explicit ParsedTextInUse(std::string_view parsed);
    ~ParsedTextInUse();
    ParsedTextInUse(const ParsedTextInUse&) = delete;
    ParsedTextInUse& operator=(const ParsedTextInUse&) = delete;

    // Whether white space stood right before the start tag of `element` in the parsed text.
    [[nodiscard]] static bool space_before(pugi::xml_node element);

private:
    std::string_view m_previous;
};

// All text inside the element (text and CDATA children, not nested elements' markup).
[[nodiscard]] NodeText text_of(pugi::xml_node node);
// The element's children printed as markup (for Atom xhtml content and RSS extensions). URLs
// under an xml:base inside are made absolute against `base` made more specific by it.
[[nodiscard]] std::string inner_xml(pugi::xml_node node, const std::string& base = {});
// The element's text as HTML: its character data as it is (feeds put HTML there), and child
// elements, which feeds put there unescaped, printed back as tags, xml:base applied as in
// inner_xml. Costs what text_of costs when there are no child elements.
[[nodiscard]] NodeText markup_of(pugi::xml_node node, const std::string& base = {});

// `base` made more specific by every xml:base from the document root down to `node`.
[[nodiscard]] std::string base_for(pugi::xml_node node, const std::string& base);
// `base` made more specific by `node`'s own xml:base, if it has one. An empty xml:base is the
// base itself (RFC 3986, 5.2.2: an empty reference resolves to its base).
[[nodiscard]] std::string own_base(pugi::xml_node node, const std::string& base);

// An attribute by local name, whatever its prefix ("rdf:about" ~ "about").
[[nodiscard]] pugi::xml_attribute attribute_local(pugi::xml_node node, std::string_view local);

// An Atom link's relation: "alternate" when it names none (RFC 4287, 4.2.7.2), and a registered
// name given as its IANA URI ("http://www.iana.org/assignments/relation/alternate") as the name.
[[nodiscard]] std::string_view link_relation(pugi::xml_node link);

} // namespace newsmon::parsers::detail

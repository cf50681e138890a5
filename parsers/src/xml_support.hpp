// Internal: namespace-aware access to a pugixml tree, xml:base, and feed text values.
#pragma once

#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace newsmon::parsers::detail {

enum class Ns {
    none, // no prefix and no default namespace
    other,
    atom10,
    atom03,
    rss10,
    rss090,
    rdf,
    dc,
    dcterms,
    content,
    media,
    itunes,
    sy,
    xml,
};

// The namespace of an element, from the xmlns declarations in scope; undeclared but
// conventional prefixes (dc:, content:, media:, itunes:, sy:, atom:) get their usual namespace.
[[nodiscard]] Ns ns_of(pugi::xml_node node);
[[nodiscard]] std::string_view local_name(pugi::xml_node node);
[[nodiscard]] bool is(pugi::xml_node node, Ns ns, std::string_view local);
// Unprefixed, whatever the default namespace: how RSS core elements appear.
[[nodiscard]] bool is_plain(pugi::xml_node node, std::string_view local);

[[nodiscard]] pugi::xml_node child(pugi::xml_node parent, Ns ns, std::string_view local);
[[nodiscard]] pugi::xml_node plain_child(pugi::xml_node parent, std::string_view local);

// All text inside the element (text and CDATA children, not nested elements' markup).
[[nodiscard]] std::string text_of(pugi::xml_node node);
// The element's children printed as markup (for Atom xhtml content and RSS extensions).
[[nodiscard]] std::string inner_xml(pugi::xml_node node);

// `base` made more specific by every xml:base from the document root down to `node`.
[[nodiscard]] std::string base_for(pugi::xml_node node, const std::string& base);

// An attribute by local name, whatever its prefix ("rdf:about" ~ "about").
[[nodiscard]] pugi::xml_attribute attribute_local(pugi::xml_node node, std::string_view local);

} // namespace newsmon::parsers::detail

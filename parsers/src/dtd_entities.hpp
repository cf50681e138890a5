// Internal: the general entities a feed declares in its own internal DTD subset
// (<!DOCTYPE rss [ <!ENTITY name "value"> ]>), expanded before pugixml, which knows only XML's
// five. Bounded: nothing external is read, and an entity whose expansion nests or grows past
// the limits is left as it was, with a warning.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsmon::parsers::detail {

struct EntityLimits {
    std::size_t max_depth = 8;             // entities inside entities
    std::size_t max_entity_bytes = 16384;  // one entity's expanded text
    std::size_t max_added_bytes = 1 << 20; // what all expansions add to the document
};

// The text with the declared entities' references expanded (outside comments and CDATA
// sections), and character references normalized there as normalize_character_references does.
// nullopt when the document has no internal subset
// that declares entities.
[[nodiscard]] std::optional<std::string>
expand_declared_entities(std::string_view text, std::vector<std::string>& warnings,
                         const EntityLimits& limits = {});

// The text with its character references made readable to pugixml outside comments and CDATA
// sections: "&#X" made "&#x" (XML allows the upper-case X, pugixml reads only the lower-case
// one), and a reference to no character made "&#xFFFD;", with a warning.
[[nodiscard]] std::string normalize_character_references(std::string_view text,
                                                         std::vector<std::string>& warnings);

} // namespace newsmon::parsers::detail

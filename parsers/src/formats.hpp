// Internal: one function per feed format, called by parse_feed once the root is known.
#pragma once

#include <pugixml.hpp>

#include "newsmon/parsers/feed.hpp"

namespace newsmon::parsers::detail {

[[nodiscard]] Feed parse_rss(pugi::xml_node channel_root, FeedFormat format,
                             const ParseOptions& options);

// Child element text by local name, ignoring any namespace prefix ("dc:creator" ~ "creator").
[[nodiscard]] pugi::xml_node child_local(pugi::xml_node parent, std::string_view prefixed_name);

// Gives items without a trustworthy guid one: the link, else a hash of title, date and summary.
void assign_stable_guids(Feed& feed);

// Makes `reference` absolute against `base` (RFC 3986 section 5.2, common cases).
[[nodiscard]] std::string resolve_url(std::string_view base, std::string_view reference);

} // namespace newsmon::parsers::detail

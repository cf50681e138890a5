// Internal: end tags made to match, for documents that do not parse as XML because of them.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::parsers::detail {

struct BalancedTags {
    std::string text;
    std::size_t repairs = 0; // end tags dropped or added, DOCTYPEs inside elements dropped
};

// One pass over `text` with a stack of the open elements: an end tag that closes an element
// further down closes the ones above it first, and so does an item (or entry) that starts
// while another is open; an end tag that closes no open element, and a DOCTYPE inside an
// element, are dropped. Comments, CDATA sections and processing instructions pass
// as they are; elements still open at the end stay open (the caller keeps what came before).
// The stack holds at most `max_depth` names; deeper elements are not tracked.
[[nodiscard]] BalancedTags balance_end_tags(std::string_view text, std::size_t max_depth);

} // namespace newsmon::parsers::detail

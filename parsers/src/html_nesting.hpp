// How deep a page's elements nest, measured on the text before gumbo parses it. gumbo's work
// grows with the number of elements times their depth (20,000 nested elements take minutes),
// so a page nested deeper than a bound is refused before gumbo sees it.
#pragma once

#include <cstddef>
#include <string_view>

namespace newsmon::parsers::html {

// Whether elements in `html` nest deeper than `limit`, following the HTML rules that close
// elements implicitly (<p>, <li>, table cells, ...). Void and raw text elements do not count;
// the scan stops as soon as the limit is passed, so its cost is bounded by the text times the
// limit.
[[nodiscard]] bool nests_deeper_than(std::string_view html, std::size_t limit);

} // namespace newsmon::parsers::html

// Whether an item's article page is worth fetching: the feed's full_text setting, and for
// "auto" whether the feed's own text is a teaser.
#pragma once

#include <string_view>

#include "config/config.hpp"
#include "newsmon/parsers/feed.hpp"

namespace newsmon::pages {

// Text that stops where a reader would click: "…", "...", "[…]", "Read more", "Подробнее".
[[nodiscard]] bool looks_like_teaser(std::string_view text);

// `own_text` is the item's text as the feed gives it (its content, else its summary).
[[nodiscard]] bool wants_page(const parsers::Item& item, std::string_view own_text,
                              std::string_view mode, int min_chars);

} // namespace newsmon::pages

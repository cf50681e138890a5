// The text of an article that tagging and alerts read: the summary and the full text, without
// counting a teaser twice when the full text begins with it.
#pragma once

#include <string>
#include <string_view>

#include "newsmon/parsers/feed.hpp"

namespace newsmon::tag {

// The item's own full text as plain text: from content_html when the feed carries it.
[[nodiscard]] std::string feed_full_text(const parsers::Item& item);

// Summary and full text as one body; `full_text` may be empty.
[[nodiscard]] std::string article_body(std::string_view summary, std::string_view full_text);

} // namespace newsmon::tag

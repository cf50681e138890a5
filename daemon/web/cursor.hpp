// Paging cursors: where the next page starts, as an opaque string a client hands back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/web_page.hpp"

namespace newsmon::web {

// base64url of "1|<sort>|<id>"; the leading version lets the form change later.
[[nodiscard]] std::string encode_cursor(const store::PageKey& key);

// The key a cursor holds, or nullopt when it is not one this server wrote. The sort value is
// checked to be a PostgreSQL timestamp in UTC, or empty.
[[nodiscard]] std::optional<store::PageKey> decode_cursor(std::string_view cursor);

} // namespace newsmon::web

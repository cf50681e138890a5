// Percent-encoding for what the web server writes into URLs: query values in the dashboard's
// links, and the Atom feeds' own addresses.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::web {

// Every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX.
[[nodiscard]] std::string percent_encoded(std::string_view text);

} // namespace newsmon::web

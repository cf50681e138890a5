// Date parsing for the forms feeds actually use: RFC 822/1123 and RFC 3339 / ISO 8601.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace newsmon::parsers {

// Returns the instant in UTC, or nullopt when the text is not a date this parser knows.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_date(std::string_view text);

// "2025-11-07T06:10:00Z"
[[nodiscard]] std::string format_rfc3339(std::chrono::sys_seconds instant);

} // namespace newsmon::parsers

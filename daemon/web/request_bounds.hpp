// What the web endpoints' handlers share when they read a request: the bounds of a parameter,
// the time "now" means, and whether a name is configured.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "newsmon/parsers/dates.hpp"

namespace newsmon::web {

inline constexpr std::size_t k_max_query_length = 500; // a search query, q=
inline constexpr std::size_t k_max_name_length = 200;  // a topic, feed or rule name
inline constexpr int k_max_page_limit = 100;           // items on one page of the JSON API

inline std::chrono::sys_seconds now_seconds() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

inline std::optional<std::string>
rfc3339_or_none(const std::optional<std::chrono::sys_seconds>& instant) {
    if (!instant)
        return std::nullopt;
    return parsers::format_rfc3339(*instant);
}

// Whether `configured` (topics, feeds) holds an entry called `name`.
template <typename Named>
bool has_name(const std::vector<Named>& configured, const std::string& name) {
    return std::any_of(configured.begin(), configured.end(),
                       [&](const auto& entry) { return entry.name == name; });
}

} // namespace newsmon::web

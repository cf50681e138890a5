// A page of a list the web API serves, newest first, and where the next page starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace newsmon::store {

// The last row of a page: its sort value as PostgreSQL writes it, and its id (the tie-break).
struct PageKey {
    std::string sort;
    std::int64_t id = 0;
};

struct WebPage {
    nlohmann::json items = nlohmann::json::array();
    std::optional<PageKey> next; // nullopt on the last page
};

} // namespace newsmon::store

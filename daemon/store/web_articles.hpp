// One stored article as the web API shows it: its text, its topics with the terms that
// matched, its story.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace newsmon::store {

// The article with this id, or nullopt when there is none.
[[nodiscard]] std::optional<nlohmann::json> web_article(pqxx::connection& connection,
                                                        std::int64_t id);

} // namespace newsmon::store

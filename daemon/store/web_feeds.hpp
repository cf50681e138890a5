// The enabled feeds with their health, as the web API lists them.
#pragma once

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace newsmon::store {

// Every enabled feed by name: the feed_health view's columns, plus whether it is failing (its
// last poll failed), silent (the view's rhythm rule) and overdue (due for longer than one
// interval and not leased: no instance is polling it).
[[nodiscard]] nlohmann::json web_feeds(pqxx::connection& connection);

} // namespace newsmon::store

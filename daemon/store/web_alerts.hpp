// Alert rules and their deliveries as the web API shows them: read through the views the
// analyst role may read, so no webhook secret and no channel address ever leaves.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "store/web_page.hpp"

namespace newsmon::store {

// Every rule by name, with its delivery counts, last delivery and error.
[[nodiscard]] nlohmann::json web_alert_rules(pqxx::connection& connection);

// The rule named `name` as web_alert_rules shows it; nullopt when there is none.
[[nodiscard]] std::optional<nlohmann::json> web_alert_rule(pqxx::connection& connection,
                                                           const std::string& name);

struct DeliveryPageQuery {
    std::string rule;
    std::optional<PageKey> after; // the previous page's last delivery
    int limit = 50;
};

// The rule's deliveries, newest first; nullopt when there is no rule of that name.
[[nodiscard]] std::optional<WebPage> web_alert_deliveries(pqxx::connection& connection,
                                                          const DeliveryPageQuery& query);

} // namespace newsmon::store

// The JSON API's endpoints (/api/v1/…): each reads its parameters strictly, asks store/ for the
// rows and shapes the answer. Transport (HTTP, ETags, connections) is web/api_server's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "config/config.hpp"
#include "web/request_params.hpp"

namespace newsmon::web {

// What a request asked for that does not exist: answered as 404.
struct NotFound {
    std::string message;
    std::string parameter;
};

using QueryParams = std::multimap<std::string, std::string>;

// One endpoint: the path's captured segments and the query in, the JSON body out. Throws
// ParamError (400) or NotFound (404); database errors propagate.
using Endpoint = std::function<nlohmann::json(pqxx::connection&, const std::vector<std::string>&,
                                              const QueryParams&)>;

struct Route {
    std::string pattern; // a regular expression over the path, its groups the captures
    Endpoint endpoint;
};

// Every route of the API, bound to `config` (topics and feeds are checked against it), which
// must outlive them.
[[nodiscard]] std::vector<Route> api_routes(const config::Config& config);

} // namespace newsmon::web

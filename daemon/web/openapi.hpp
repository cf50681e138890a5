// The API's OpenAPI 3 description, served at /api/v1/openapi.json. Each parameter carries an
// example, so a test can call every path with every parameter it documents.
#pragma once

#include <nlohmann/json.hpp>

namespace newsmon::web {

[[nodiscard]] const nlohmann::json& openapi_document();

} // namespace newsmon::web

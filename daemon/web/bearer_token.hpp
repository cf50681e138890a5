// The API's bearer token: where it comes from (the credential web-token, else [web]
// token_file) and whether a request carries it.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>
#include <tl/expected.hpp>

#include "config/config.hpp"

namespace newsmon::web {

// The token of `config`: nullopt when none is configured, an error when the one configured is
// unreadable or shorter than 16 characters.
[[nodiscard]] tl::expected<std::optional<std::string>, std::string>
configured_token(const config::WebSettings& web);

// Whether the request sends "Authorization: Bearer <token>", compared in constant time.
[[nodiscard]] bool bearer_matches(const httplib::Request& request, const std::string& token);

} // namespace newsmon::web

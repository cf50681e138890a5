// How the API answers: JSON with a strong ETag, 304 when the client already has that body,
// and errors as {"error": …, "parameter": …}.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace newsmon::web {

// The strong ETag of a body: a quoted hash of its bytes.
[[nodiscard]] std::string etag_of(const std::string& body);

// Sets `response` to `body` with `status`; a 200 whose ETag the request's If-None-Match names
// becomes an empty 304.
void reply_json(const httplib::Request& request, httplib::Response& response, int status,
                const nlohmann::json& body);

// The same for a body of another type (`content_type` as sent, with its charset).
void reply_body(const httplib::Request& request, httplib::Response& response, int status,
                const std::string& body, const std::string& content_type);

void reply_error(const httplib::Request& request, httplib::Response& response, int status,
                 const std::string& message, const std::string& parameter = "");

} // namespace newsmon::web

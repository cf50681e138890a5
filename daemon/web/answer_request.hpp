// How every route of `newsmon web` turns a failure into an answer: a bad parameter is 400, a
// missing row 404, a database out of reach 503 (its connection dropped from the pool), and
// anything else 500, logged with the path. Pages answer in HTML, the API and feeds in JSON.
#pragma once

#include <functional>
#include <string>

#include <httplib.h>
#include <pqxx/pqxx>

namespace newsmon::web {

class ConnectionPool;

// Writes an error answer: status, a message for people, and the parameter at fault (or "").
using ErrorReply =
    std::function<void(int status, const std::string& message, const std::string& parameter)>;

// Errors as the API and the feeds write them: {"error": message, "parameter": parameter}.
[[nodiscard]] ErrorReply json_error_reply(const httplib::Request& request,
                                          httplib::Response& response);

// Runs `handle` on a pooled connection and answers what it throws through `reply_error`.
// Failures a route answers its own way it catches inside `handle`.
void answer_with_connection(ConnectionPool& pool, const httplib::Request& request,
                            const ErrorReply& reply_error,
                            const std::function<void(pqxx::connection&)>& handle);

// The same for a route that holds its own connection.
void answer(const httplib::Request& request, const ErrorReply& reply_error,
            const std::function<void()>& handle);

} // namespace newsmon::web

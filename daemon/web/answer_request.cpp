#include "web/answer_request.hpp"

#include "base/log.hpp"
#include "store/redact.hpp"
#include "web/api_handlers.hpp"
#include "web/connection_pool.hpp"
#include "web/json_reply.hpp"
#include "web/request_params.hpp"

namespace newsmon::web {

ErrorReply json_error_reply(const httplib::Request& request, httplib::Response& response) {
    return [&request, &response](int status, const std::string& message,
                                 const std::string& parameter) {
        reply_error(request, response, status, message, parameter);
    };
}

void answer(const httplib::Request& request, const ErrorReply& reply_error,
            const std::function<void()>& handle) {
    try {
        handle();
    } catch (const ParamError& error) {
        reply_error(400, error.message, error.parameter);
    } catch (const NotFound& error) {
        reply_error(404, error.message, error.parameter);
    } catch (const pqxx::broken_connection& error) {
        log::warn("web database away",
                  {log::field("error", store::redact_passwords(error.what()))});
        reply_error(503, "the database cannot be reached", "");
    } catch (const std::exception& error) {
        log::error("web request failed",
                   {log::field("path", request.path), log::field("error", error.what())});
        reply_error(500, "the request failed; the log says why", "");
    }
}

void answer_with_connection(ConnectionPool& pool, const httplib::Request& request,
                            const ErrorReply& reply_error,
                            const std::function<void(pqxx::connection&)>& handle) {
    answer(request, reply_error, [&] {
        auto lease = pool.acquire();
        try {
            handle(lease.connection());
        } catch (const pqxx::broken_connection&) {
            lease.discard(); // a new connection is opened for the next request
            throw;
        }
    });
}

} // namespace newsmon::web

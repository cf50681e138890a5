#include "web/api_server.hpp"

#include <charconv>
#include <optional>

#include <httplib.h>

#include "newsmon/parsers/encoding.hpp"
#include "store/redact.hpp"
#include "web/answer_request.hpp"
#include "web/api_handlers.hpp"
#include "web/atom_feeds.hpp"
#include "web/bearer_token.hpp"
#include "web/bounded_task_queue.hpp"
#include "web/connection_pool.hpp"
#include "web/html_page.hpp"
#include "web/json_reply.hpp"
#include "web/page_routes.hpp"
#include "web/write_handlers.hpp"

namespace newsmon::web {
namespace {

struct HostPort {
    std::string host;
    int port = -1;
};

// "127.0.0.1:8080" or "[::1]:8080", already checked by the config loader.
HostPort split_listen(const std::string& listen) {
    HostPort where;
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return where;
    std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), where.port);
    where.host = listen.substr(0, colon);
    if (where.host.size() > 2 && where.host.front() == '[' && where.host.back() == ']')
        where.host = where.host.substr(1, where.host.size() - 2);
    if (where.host.empty())
        where.host = "0.0.0.0";
    return where;
}

// Programs (the API, the Atom feeds) get JSON; people get a page.
void reply_refusal(const httplib::Request& request, httplib::Response& response, int status,
                   const std::string& message, const std::string& parameter) {
    if (request.path.starts_with("/api/") || request.path.starts_with("/feeds/"))
        reply_error(request, response, status, message, parameter);
    else
        reply_html_error(request, response, status,
                         parameter.empty() ? message : parameter + ": " + message);
}

// The first part of a request that is not UTF-8 ("path", or a parameter's name), which the
// database would refuse deep inside a query.
std::optional<std::string> first_part_not_utf8(const httplib::Request& request) {
    if (!parsers::is_valid_utf8(request.path))
        return "path";
    for (const auto& [name, value] : request.params) {
        if (!parsers::is_valid_utf8(name))
            return "query";
        if (!parsers::is_valid_utf8(value))
            return name;
    }
    return std::nullopt;
}

} // namespace

ApiServer::ApiServer(const config::Config& config)
    : m_config(&config), m_server(std::make_unique<httplib::Server>()) {}

ApiServer::~ApiServer() {
    stop();
}

tl::expected<std::unique_ptr<ApiServer>, std::string>
ApiServer::start(const config::Config& config) {
    std::unique_ptr<ApiServer> server(new ApiServer(config));
    auto token = configured_token(config.web);
    if (!token)
        return tl::unexpected(token.error());
    server->m_token = std::move(*token);
    const std::string& url =
        config.web.database_url.empty() ? config.database.reads() : config.web.database_url;
    try {
        server->m_pool = std::make_unique<ConnectionPool>(url, k_workers);
    } catch (const std::exception& error) {
        return tl::unexpected("cannot connect to the database: " +
                              store::redact_passwords(error.what()));
    }
    server->route();
    auto where = split_listen(config.web.listen);
    server->m_port = where.port == 0 ? server->m_server->bind_to_any_port(where.host)
                     : server->m_server->bind_to_port(where.host, where.port) ? where.port
                                                                              : -1;
    if (server->m_port <= 0)
        return tl::unexpected("cannot listen on " + config.web.listen +
                              " ([web] listen): the address is in use or not available");
    server->m_thread = std::thread([raw = server->m_server.get()] { raw->listen_after_bind(); });
    // httplib's stop() does nothing until the loop runs; waiting here makes stop() certain.
    for (int waited = 0; waited < 5000 && !server->m_server->is_running(); ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    return server;
}

void ApiServer::stop() {
    if (!m_thread.joinable())
        return;
    m_server->stop();
    m_thread.join();
}

void ApiServer::route() {
    auto& server = *m_server;
    server.new_task_queue = [] { return new BoundedTaskQueue(k_workers, k_backlog); };
    server.set_read_timeout(k_io_timeout);
    server.set_write_timeout(k_io_timeout);
    server.set_keep_alive_timeout(k_io_timeout.count());
    server.set_keep_alive_max_count(100);
    server.set_payload_max_length(k_max_body);
    // Answers go out at once: without it, each answer after the first on a kept-alive
    // connection waited on the client's delayed ACK (about 40 ms).
    server.set_tcp_nodelay(true);
    server.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
            if (m_token && !m_config->web.public_read && !bearer_matches(request, *m_token)) {
                response.set_header("WWW-Authenticate", "Bearer");
                reply_error(request, response, 401, "a bearer token is required", "Authorization");
                return httplib::Server::HandlerResponse::Handled;
            }
            if (auto part = first_part_not_utf8(request)) {
                reply_refusal(request, response, 400, "not UTF-8", *part);
                return httplib::Server::HandlerResponse::Handled;
            }
            // Ranges are not served: every answer is small and made afresh, and a request for
            // thousands of ranges would turn it into a multipart reply thousands of times its
            // size. httplib parsed them into its own Request, which only looks const here.
            const_cast<httplib::Request&>(request).ranges.clear();
            return httplib::Server::HandlerResponse::Unhandled;
        });
    server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty())
            return;
        std::string message = response.status == 404 ? "no such path" : "the request was refused";
        reply_refusal(request, response, response.status, message, "");
    });
    // Before the catch-alls below: httplib takes the first pattern that matches.
    add_write_routes(server, *m_config, m_token);
    // Other paths only read; other methods are told so rather than "no such path".
    auto read_only = [](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Allow", "GET, HEAD");
        reply_error(request, response, 405, "this path only reads: use GET");
    };
    server.Post(".*", read_only);
    server.Put(".*", read_only);
    server.Patch(".*", read_only);
    server.Delete(".*", read_only);
    add_page_routes(server, *m_config, *m_pool);
    for (auto& route : api_routes(*m_config)) {
        server.Get(route.pattern, [this, endpoint = std::move(route.endpoint)](
                                      const httplib::Request& request,
                                      httplib::Response& response) {
            std::vector<std::string> captures(request.matches.begin() + 1, request.matches.end());
            auto errors = json_error_reply(request, response);
            answer_with_connection(*m_pool, request, errors, [&](pqxx::connection& db) {
                try {
                    reply_json(request, response, 200, endpoint(db, captures, request.params));
                } catch (const pqxx::data_exception&) {
                    // The one value PostgreSQL parses itself is a cursor's time.
                    throw ParamError{"not a cursor this server gave", "cursor"};
                }
            });
        });
    }
    add_atom_routes(server, *m_config, *m_pool);
}

} // namespace newsmon::web

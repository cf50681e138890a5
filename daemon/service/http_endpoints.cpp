#include "service/http_endpoints.hpp"

#include <charconv>

#include <httplib.h>

namespace newsmon::service {

HttpEndpoints::~HttpEndpoints() {
    if (m_server)
        m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

tl::expected<std::unique_ptr<HttpEndpoints>, std::string>
HttpEndpoints::start(const std::string& listen, const Metrics& metrics, HealthCheck health) {
    std::unique_ptr<HttpEndpoints> endpoints(new HttpEndpoints());
    if (listen == "off" || listen.empty())
        return endpoints;
    auto colon = listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos)
        std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
    if (colon == std::string::npos || port < 0 || port > 65535)
        return tl::unexpected("[server] listen: expected host:port or \"off\", got \"" + listen +
                              "\"");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);

    endpoints->m_server = std::make_unique<httplib::Server>();
    auto& server = *endpoints->m_server;
    server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& response) {
        response.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Get("/healthz", [health](const httplib::Request&, httplib::Response& response) {
        std::string problem = health();
        response.status = problem.empty() ? 200 : 503;
        response.set_content(problem.empty() ? "ok\n" : problem + "\n", "text/plain");
    });
    endpoints->m_port =
        port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    if (endpoints->m_port <= 0)
        return tl::unexpected("cannot listen on " + listen +
                              " ([server] listen): the address is "
                              "in use or not available");
    endpoints->m_thread = std::thread([&server] { server.listen_after_bind(); });
    return endpoints;
}

} // namespace newsmon::service

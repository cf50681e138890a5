// /metrics and /healthz on [server] listen, served from a thread of their own.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <tl/expected.hpp>

#include "base/metrics.hpp"

namespace httplib {
class Server;
}

namespace newsmon::service {

// What /healthz answers: empty when healthy, else the reason (503).
using HealthCheck = std::function<std::string()>;

class HttpEndpoints {
public:
    ~HttpEndpoints();
    HttpEndpoints(const HttpEndpoints&) = delete;
    HttpEndpoints& operator=(const HttpEndpoints&) = delete;

    // `listen` is "host:port" (port 0 picks a free one) or "off". Fails, saying why, when it
    // cannot listen there.
    [[nodiscard]] static tl::expected<std::unique_ptr<HttpEndpoints>, std::string>
    start(const std::string& listen, const Metrics& metrics, HealthCheck health);

    [[nodiscard]] int port() const { return m_port; }

private:
    HttpEndpoints() = default;

    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
};

} // namespace newsmon::service

// /metrics and /healthz on [server] listen, served from a thread of their own.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <tl/expected.hpp>

#include "base/metrics.hpp"
#include "base/unique_fd.hpp"

namespace newsmon::service {

// What /healthz answers: empty when healthy, else the reason (503).
using HealthCheck = std::function<std::string()>;

// One thread polls every connection, so a client that is slow, idle or sends too much holds
// no worker: each connection has k_request_deadline to send a request of at most
// k_max_request bytes, at most k_max_connections are open (a new one closes the oldest), and
// every answer closes its connection.
class HttpEndpoints {
public:
    static constexpr std::size_t k_max_request = 8192;
    static constexpr std::size_t k_max_connections = 64;
    static constexpr std::chrono::seconds k_request_deadline{3};

    ~HttpEndpoints();
    HttpEndpoints(const HttpEndpoints&) = delete;
    HttpEndpoints& operator=(const HttpEndpoints&) = delete;

    // `listen` is "host:port" (port 0 picks a free one) or "off". Fails, saying why, when it
    // cannot listen there.
    [[nodiscard]] static tl::expected<std::unique_ptr<HttpEndpoints>, std::string>
    start(const std::string& listen, const base::Metrics& metrics, HealthCheck health);

    [[nodiscard]] int port() const { return m_port; }

private:
    HttpEndpoints(const base::Metrics& metrics, HealthCheck health)
        : m_metrics(&metrics), m_health(std::move(health)) {}
    void serve();
    [[nodiscard]] std::string answer(std::string_view request) const;

    const base::Metrics* m_metrics;
    HealthCheck m_health;
    base::UniqueFd m_listener;
    base::UniqueFd m_wake; // an eventfd: the destructor's stop signal
    std::thread m_thread;
    int m_port = 0;
};

} // namespace newsmon::service

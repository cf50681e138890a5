// `newsmon web`'s HTTP server: the JSON API on [web] listen, served by a bounded pool of
// workers (cpp-httplib), each with its own read-only database connection; the few writes go
// through web/write_handlers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <tl/expected.hpp>

#include "config/config.hpp"

namespace httplib {
class Server;
}

namespace newsmon::web {

class ConnectionPool;

class ApiServer {
public:
    static constexpr std::size_t k_workers = 8;
    static constexpr std::size_t k_backlog = 64;           // accepted, waiting for a worker
    static constexpr std::size_t k_max_body = 8 * 1024;    // a rule to add is the largest
    static constexpr std::chrono::seconds k_io_timeout{5}; // to send a request or take a reply

    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Connects to the database (the analyst role, see store/web_connection), reads the token
    // (credential or file), binds [web] listen and starts serving; or says why it cannot. `config`
    // must outlive the server.
    [[nodiscard]] static tl::expected<std::unique_ptr<ApiServer>, std::string>
    start(const config::Config& config);

    [[nodiscard]] int port() const { return m_port; }

    // Stops accepting, lets the requests being answered finish, and returns.
    void stop();

private:
    explicit ApiServer(const config::Config& config);
    void route();

    const config::Config* m_config;
    std::optional<std::string> m_token; // required as "Authorization: Bearer …" when set
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
};

} // namespace newsmon::web

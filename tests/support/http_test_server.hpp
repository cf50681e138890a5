// An HTTP server on 127.0.0.1 inside the test process. Endpoints are RAII tokens; the server
// counts requests and keeps their headers, so tests can assert what the daemon sent.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

namespace newsmon::testkit {

struct Response {
    int status = 200;
    std::string body;
    std::string content_type = "application/rss+xml; charset=utf-8";
    std::multimap<std::string, std::string> headers;
};

using Handler = std::function<Response(const httplib::Request&)>;

class HttpTestServer {
public:
    HttpTestServer();
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    // Unregisters its path when destroyed.
    class Endpoint {
    public:
        Endpoint(HttpTestServer& server, std::string path) : m_server(&server), m_path(path) {}
        ~Endpoint();
        Endpoint(Endpoint&& other) noexcept
            : m_server(std::exchange(other.m_server, nullptr)), m_path(std::move(other.m_path)) {}
        Endpoint(const Endpoint&) = delete;
        Endpoint& operator=(const Endpoint&) = delete;
        Endpoint& operator=(Endpoint&&) = delete;

    private:
        HttpTestServer* m_server;
        std::string m_path;
    };

    [[nodiscard]] Endpoint serve(const std::string& path, Handler handler);
    // Full control of the response, for streaming (a drip, a hang mid-body).
    using RawHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
    [[nodiscard]] Endpoint serve_raw(const std::string& path, RawHandler handler);
    [[nodiscard]] Endpoint serve_file(const std::string& path, const std::string& fixture_file,
                                      std::string content_type = "application/rss+xml");

    [[nodiscard]] std::string url(const std::string& path) const;
    [[nodiscard]] int request_count(const std::string& path) const;
    // Headers of every request to `path`, oldest first.
    [[nodiscard]] std::vector<httplib::Headers> requests_to(const std::string& path) const;

private:
    void handle(const httplib::Request& request, httplib::Response& response);

    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::map<std::string, RawHandler> m_handlers;
    std::map<std::string, std::vector<httplib::Headers>> m_requests;
};

// A body the test replaces between polls (a feed gaining items), served at one path with 200.
class ChangingBody {
public:
    ChangingBody(HttpTestServer& server, const std::string& path, std::string content_type)
        : m_content_type(std::move(content_type)),
          m_endpoint(server.serve(path, [this](const httplib::Request&) {
              return Response{200, get(), m_content_type, {}};
          })) {}

    void set(std::string body) {
        std::lock_guard lock(m_mutex);
        m_body = std::move(body);
    }
    [[nodiscard]] std::string get() const {
        std::lock_guard lock(m_mutex);
        return m_body;
    }

private:
    mutable std::mutex m_mutex;
    std::string m_body;
    std::string m_content_type;
    HttpTestServer::Endpoint m_endpoint; // last: it serves the members above
};

// The text of a file under tests/fixtures.
[[nodiscard]] std::string read_fixture(const std::string& relative_path);

} // namespace newsmon::testkit

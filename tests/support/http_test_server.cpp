#include "http_test_server.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace newsmon::testkit {

std::string read_fixture(const std::string& relative_path) {
    std::ifstream in(std::string(NEWSMON_FIXTURES_DIR) + "/" + relative_path, std::ios::binary);
    if (!in)
        throw std::runtime_error("missing fixture " + relative_path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

HttpTestServer::HttpTestServer() {
    auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
        handle(request, response);
    };
    m_server.Get(".*", dispatch);
    m_server.Post(".*", dispatch); // webhook receivers
    m_port = m_server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        throw std::runtime_error("test HTTP server could not bind 127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
}

HttpTestServer::~HttpTestServer() {
    m_server.stop();
    if (m_thread.joinable())
        m_thread.join();
}

HttpTestServer::Endpoint::~Endpoint() {
    if (!m_server)
        return;
    std::lock_guard lock(m_server->m_mutex);
    m_server->m_handlers.erase(m_path);
}

HttpTestServer::Endpoint HttpTestServer::serve_raw(const std::string& path, RawHandler handler) {
    std::lock_guard lock(m_mutex);
    m_handlers[path] = std::move(handler);
    return Endpoint(*this, path);
}

HttpTestServer::Endpoint HttpTestServer::serve(const std::string& path, Handler handler) {
    return serve_raw(path, [handler = std::move(handler)](const httplib::Request& request,
                                                          httplib::Response& response) {
        Response reply = handler(request);
        response.status = reply.status;
        for (const auto& [name, value] : reply.headers)
            response.set_header(name, value);
        if (!reply.body.empty() || reply.status == 200)
            response.set_content(reply.body, reply.content_type);
    });
}

HttpTestServer::Endpoint HttpTestServer::serve_file(const std::string& path,
                                                    const std::string& fixture_file,
                                                    std::string content_type) {
    Response response{200, read_fixture(fixture_file), std::move(content_type), {}};
    return serve(path, [response](const httplib::Request&) { return response; });
}

std::string HttpTestServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

int HttpTestServer::request_count(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto found = m_requests.find(path);
    return found == m_requests.end() ? 0 : static_cast<int>(found->second.size());
}

std::vector<httplib::Headers> HttpTestServer::requests_to(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto found = m_requests.find(path);
    return found == m_requests.end() ? std::vector<httplib::Headers>{} : found->second;
}

void HttpTestServer::handle(const httplib::Request& request, httplib::Response& response) {
    RawHandler handler;
    {
        std::lock_guard lock(m_mutex);
        m_requests[request.path].push_back(request.headers);
        if (auto found = m_handlers.find(request.path); found != m_handlers.end())
            handler = found->second;
    }
    if (!handler) {
        response.status = 404;
        response.set_content("no such test endpoint", "text/plain");
        return;
    }
    handler(request, response);
}

} // namespace newsmon::testkit

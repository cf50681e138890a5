#include "service/http_endpoints.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <deque>
#include <vector>

namespace newsmon::service {

using base::UniqueFd;
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
    UniqueFd fd;
    Clock::time_point deadline;
    std::string received;
    std::string reply; // being sent once not empty
    std::size_t sent = 0;
};

std::string response(int status, std::string_view reason, std::string_view type,
                     std::string_view body) {
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                       "\r\nContent-Type: " + std::string(type) +
                       "\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\nConnection: close\r\n\r\n";
    text += body;
    return text;
}

struct AddrInfoDeleter {
    void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

tl::expected<UniqueFd, std::string> listen_on(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* raw = nullptr;
    std::string service = std::to_string(port);
    if (getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &raw) != 0)
        return tl::unexpected(std::string("the address does not resolve"));
    std::unique_ptr<addrinfo, AddrInfoDeleter> list(raw);
    for (const addrinfo* entry = list.get(); entry; entry = entry->ai_next) {
        UniqueFd fd(socket(entry->ai_family, entry->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           entry->ai_protocol));
        int yes = 1;
        if (fd.get() < 0 || setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0)
            continue;
        if (bind(fd.get(), entry->ai_addr, entry->ai_addrlen) == 0 && listen(fd.get(), 64) == 0)
            return fd;
    }
    return tl::unexpected(std::string("the address is in use or not available"));
}

int bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return -1;
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

// Reads what has arrived; false when the connection is over (closed, failed, or too long,
// in which case `reply` holds the refusal).
bool read_some(Connection& connection) {
    char buffer[4096];
    ssize_t got = recv(connection.fd.get(), buffer, sizeof buffer, 0);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
        return false;
    if (got > 0)
        connection.received.append(buffer, static_cast<std::size_t>(got));
    auto head_end = connection.received.find("\r\n\r\n");
    if (head_end == std::string::npos ? connection.received.size() > HttpEndpoints::k_max_request
                                      : head_end > HttpEndpoints::k_max_request) {
        connection.reply =
            response(431, "Request Header Fields Too Large", "text/plain", "request too large\n");
        connection.received.clear();
    }
    return true;
}

// Sends what the socket takes; false when the reply is sent or the client went away.
bool write_some(Connection& connection) {
    ssize_t put = send(connection.fd.get(), connection.reply.data() + connection.sent,
                       connection.reply.size() - connection.sent, MSG_NOSIGNAL);
    if (put < 0)
        return errno == EAGAIN || errno == EINTR;
    connection.sent += static_cast<std::size_t>(put);
    return connection.sent < connection.reply.size();
}

} // namespace

HttpEndpoints::~HttpEndpoints() {
    if (m_thread.joinable()) {
        std::uint64_t one = 1;
        (void)!write(m_wake.get(), &one, sizeof one);
        m_thread.join();
    }
}

tl::expected<std::unique_ptr<HttpEndpoints>, std::string>
HttpEndpoints::start(const std::string& listen, const base::Metrics& metrics, HealthCheck health) {
    std::unique_ptr<HttpEndpoints> endpoints(new HttpEndpoints(metrics, std::move(health)));
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
    auto listener = listen_on(host, port);
    if (!listener)
        return tl::unexpected("cannot listen on " + listen +
                              " ([server] listen): " + listener.error());
    endpoints->m_listener = std::move(*listener);
    endpoints->m_port = bound_port(endpoints->m_listener.get());
    endpoints->m_wake = UniqueFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (endpoints->m_port <= 0 || endpoints->m_wake.get() < 0)
        return tl::unexpected("cannot listen on " + listen + " ([server] listen)");
    endpoints->m_thread = std::thread([raw = endpoints.get()] { raw->serve(); });
    return endpoints;
}

std::string HttpEndpoints::answer(std::string_view request) const {
    std::string_view line = request.substr(0, request.find("\r\n"));
    auto space = line.find(' ');
    std::string_view method = line.substr(0, space);
    std::string_view target =
        space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    target = target.substr(0, target.find(' '));
    target = target.substr(0, target.find('?'));
    if (method != "GET")
        return response(405, "Method Not Allowed", "text/plain", "only GET\n");
    if (target == "/metrics")
        return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", m_metrics->render());
    if (target == "/healthz") {
        std::string problem = m_health();
        return problem.empty() ? response(200, "OK", "text/plain", "ok\n")
                               : response(503, "Service Unavailable", "text/plain", problem + "\n");
    }
    return response(404, "Not Found", "text/plain", "not found\n");
}

void HttpEndpoints::serve() {
    std::deque<Connection> connections; // oldest first
    std::vector<pollfd> waiting;
    for (;;) {
        waiting.assign({{m_wake.get(), POLLIN, 0}, {m_listener.get(), POLLIN, 0}});
        for (const auto& connection : connections)
            waiting.push_back({connection.fd.get(),
                               static_cast<short>(connection.reply.empty() ? POLLIN : POLLOUT), 0});
        if (poll(waiting.data(), waiting.size(), 200) < 0 && errno != EINTR)
            return;
        if (waiting[0].revents)
            return;
        auto now = Clock::now();
        std::deque<Connection> still_open;
        for (std::size_t i = 0; i < connections.size(); ++i) {
            Connection& connection = connections[i];
            short events = waiting[i + 2].revents;
            bool open = connection.deadline > now;
            if (open && events && connection.reply.empty()) {
                open = read_some(connection);
                if (open && connection.reply.empty() &&
                    connection.received.find("\r\n\r\n") != std::string::npos)
                    connection.reply = answer(connection.received);
                if (!connection.reply.empty())
                    connection.deadline = now + k_request_deadline; // to send the answer
            } else if (open && events) {
                open = write_some(connection);
            }
            if (open)
                still_open.push_back(std::move(connection));
        }
        connections = std::move(still_open);
        if (waiting[1].revents & POLLIN) {
            for (int fd; (fd = accept4(m_listener.get(), nullptr, nullptr,
                                       SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
                if (connections.size() >= k_max_connections)
                    connections.pop_front(); // the oldest makes room
                connections.push_back({UniqueFd(fd), now + k_request_deadline, {}, {}, 0});
            }
        }
    }
}

} // namespace newsmon::service

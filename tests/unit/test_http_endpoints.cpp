// The /metrics and /healthz listener against clients that are idle, slow or send too much.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/metrics.hpp"
#include "base/unique_fd.hpp"
#include "service/http_endpoints.hpp"

using namespace newsmon::service;
using newsmon::base::UniqueFd;
using Clock = std::chrono::steady_clock;

namespace {

UniqueFd connect_to(int port) {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
}

// Everything the server sends until it closes, or until `limit` passes.
std::string read_all(int fd, std::chrono::milliseconds limit) {
    std::string text;
    auto deadline = Clock::now() + limit;
    char buffer[4096];
    while (Clock::now() < deadline) {
        pollfd readable{fd, POLLIN, 0};
        if (poll(&readable, 1, 50) <= 0)
            continue;
        auto got = recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0)
            break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    return text;
}

std::string get(int port, const std::string& path, std::chrono::milliseconds limit) {
    UniqueFd fd = connect_to(port);
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    EXPECT_EQ(send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    return read_all(fd.get(), limit);
}

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:"))
            return std::stol(line.substr(6));
    return 0;
}

class Endpoints : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = HttpEndpoints::start("127.0.0.1:0", metrics, [] { return std::string(); });
        ASSERT_TRUE(started) << started.error();
        endpoints = std::move(*started);
    }
    newsmon::base::Metrics metrics;
    std::unique_ptr<HttpEndpoints> endpoints;
};

} // namespace

TEST_F(Endpoints, AnswersHealthzAndMetrics) {
    auto health = get(endpoints->port(), "/healthz", std::chrono::seconds{2});
    EXPECT_TRUE(health.starts_with("HTTP/1.1 200")) << health;
    EXPECT_TRUE(health.ends_with("\r\n\r\nok\n")) << health;
    auto missing = get(endpoints->port(), "/nothing", std::chrono::seconds{2});
    EXPECT_TRUE(missing.starts_with("HTTP/1.1 404")) << missing;
}

TEST_F(Endpoints, IdleAndSlowClientsDoNotDelayHealthz) {
    std::vector<UniqueFd> idle;
    for (int i = 0; i < 16; ++i)
        idle.push_back(connect_to(endpoints->port()));
    std::vector<UniqueFd> slow; // one byte of a request every 200 ms
    for (int i = 0; i < 16; ++i)
        slow.push_back(connect_to(endpoints->port()));
    std::atomic<bool> stop{false};
    std::thread drip([&] {
        for (int round = 0; round < 30 && !stop; ++round) {
            for (auto& fd : slow)
                (void)!send(fd.get(), "G", 1, MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds{200});
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    auto started = Clock::now();
    auto health = get(endpoints->port(), "/healthz", std::chrono::seconds{10});
    auto took = Clock::now() - started;
    EXPECT_TRUE(health.starts_with("HTTP/1.1 200")) << health;
    EXPECT_LT(took, std::chrono::seconds{1});
    // Neither kind is kept for long: the server closes them at the request deadline.
    auto closed_within = HttpEndpoints::k_request_deadline + std::chrono::seconds{2};
    EXPECT_EQ(read_all(idle.front().get(), closed_within), "");
    EXPECT_EQ(read_all(slow.front().get(), closed_within), "");
    pollfd gone{idle.back().get(), POLLIN, 0};
    EXPECT_EQ(poll(&gone, 1, 0), 1); // readable: at its end
    stop = true;
    drip.join();
}

TEST_F(Endpoints, HugeHeadersAreRefusedWithoutBeingKept) {
    long before = resident_kib();
    UniqueFd fd = connect_to(endpoints->port());
    std::string start = "GET /healthz HTTP/1.1\r\n";
    (void)!send(fd.get(), start.data(), start.size(), MSG_NOSIGNAL);
    std::string lines;
    for (int i = 0; i < 1024; ++i)
        lines += "X-Padding: " + std::string(1000, 'a') + "\r\n";
    std::size_t sent = 0;
    auto deadline = Clock::now() + std::chrono::seconds{5};
    while (sent < (64U << 20) && Clock::now() < deadline) {
        auto put = send(fd.get(), lines.data(), lines.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (put < 0 && errno == EAGAIN) {
            std::this_thread::sleep_for(std::chrono::milliseconds{5});
            continue;
        }
        if (put <= 0)
            break;
        sent += static_cast<std::size_t>(put);
    }
    EXPECT_LT(sent, 16U << 20); // the server stopped reading long before
    auto reply = read_all(fd.get(), std::chrono::seconds{2});
    if (!reply.empty()) { // a reset may come before the answer
        EXPECT_TRUE(reply.starts_with("HTTP/1.1 431")) << reply.substr(0, 80);
    }
    EXPECT_LT(resident_kib() - before, 8 * 1024);
    auto health = get(endpoints->port(), "/healthz", std::chrono::seconds{2});
    EXPECT_TRUE(health.starts_with("HTTP/1.1 200")) << health;
}

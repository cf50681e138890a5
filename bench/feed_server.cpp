// bench/feed_server PORT_FILE [FEEDS] [HOSTS]: serves FEEDS (1000) generated news feeds of 30
// items at /feed/N, with an ETag each (If-None-Match gets a 304), and writes the port it listens
// on to PORT_FILE. On 127.0.0.1 alone by default; with HOSTS, on each of the loopback addresses
// 127.0.0.2 .. 127.0.0.(HOSTS+1) instead, all on the same port, so that a client sees HOSTS
// hosts and its per-host limits apply as they do in life. Never on a public address. Runs until
// killed. A process of its own, so that the benchmark's peak memory is the daemon's alone.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "feed_generator.hpp"

namespace {

std::vector<std::string> loopback_addresses(int hosts) {
    if (hosts == 0)
        return {"127.0.0.1"};
    std::vector<std::string> addresses;
    for (int h = 0; h < hosts; ++h) // 127.0.0.2 and on: 127.0.0.0/8 is all loopback on Linux
        addresses.push_back("127." + std::to_string((h + 2) / 65536) + "." +
                            std::to_string((h + 2) / 256 % 256) + "." +
                            std::to_string((h + 2) % 256));
    return addresses;
}

std::unique_ptr<httplib::Server> feed_server(const std::vector<std::string>& bodies,
                                             std::size_t threads) {
    auto server = std::make_unique<httplib::Server>();
    // One thread per connection the clients keep open, or keep-alive connections starve.
    server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server->Get(R"(/feed/(\d+))",
                [&bodies](const httplib::Request& request, httplib::Response& response) {
                    auto index = static_cast<std::size_t>(std::stoul(request.matches[1]));
                    if (index >= bodies.size()) {
                        response.status = 404;
                        return;
                    }
                    std::string etag = "\"v" + std::to_string(index) + "\"";
                    response.set_header("ETag", etag);
                    if (request.get_header_value("If-None-Match") == etag) {
                        response.status = 304;
                        return;
                    }
                    response.set_content(bodies[index], "application/rss+xml");
                });
    return server;
}

// One server per address, all bound to one port (a free one on the first address; tried again
// with another when a later address has it taken). Empty when no port would do.
std::vector<std::unique_ptr<httplib::Server>> bind_all(const std::vector<std::string>& addresses,
                                                       const std::vector<std::string>& bodies,
                                                       int& port) {
    std::size_t threads = addresses.size() == 1 ? 128 : 8;
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::vector<std::unique_ptr<httplib::Server>> servers;
        servers.push_back(feed_server(bodies, threads));
        port = servers.back()->bind_to_any_port(addresses.front());
        if (port <= 0)
            return {};
        bool bound = true;
        for (std::size_t a = 1; a < addresses.size() && bound; ++a) {
            servers.push_back(feed_server(bodies, threads));
            bound = servers.back()->bind_to_port(addresses[a], port);
        }
        if (bound)
            return servers;
    }
    return {};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: feed_server PORT_FILE [FEEDS] [HOSTS]\n");
        return 2;
    }
    int feeds = argc > 2 ? std::stoi(argv[2]) : 1000;
    int hosts = argc > 3 ? std::stoi(argv[3]) : 0;
    std::vector<std::string> bodies(static_cast<std::size_t>(feeds));
    for (int f = 0; f < feeds; ++f)
        bodies[static_cast<std::size_t>(f)] = newsmon::bench::news_feed(f, 30);
    int port = 0;
    auto servers = bind_all(loopback_addresses(hosts), bodies, port);
    if (servers.empty()) {
        std::fprintf(stderr, "feed_server: cannot bind the loopback addresses\n");
        return 1;
    }
    std::vector<std::thread> listeners;
    for (std::size_t s = 1; s < servers.size(); ++s)
        listeners.emplace_back([&server = *servers[s]] { server.listen_after_bind(); });
    std::ofstream(argv[1]) << port << "\n";
    servers.front()->listen_after_bind();
    for (auto& listener : listeners)
        listener.join();
}

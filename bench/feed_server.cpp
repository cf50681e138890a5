// bench/feed_server PORT_FILE [FEEDS]: serves FEEDS (1000) generated news feeds of 30 items at
// /feed/N on 127.0.0.1, with an ETag each (If-None-Match gets a 304), and writes the port it
// listens on to PORT_FILE. Runs until killed. A process of its own, so that the benchmark's
// peak memory is the daemon's alone.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <httplib.h>

#include "feed_generator.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: feed_server PORT_FILE [FEEDS]\n");
        return 2;
    }
    int feeds = argc > 2 ? std::stoi(argv[2]) : 1000;
    std::vector<std::string> bodies(static_cast<std::size_t>(feeds));
    for (int f = 0; f < feeds; ++f)
        bodies[static_cast<std::size_t>(f)] = newsmon::bench::news_feed(f, 30);
    httplib::Server server;
    // One thread per connection the clients keep open, or keep-alive connections starve.
    server.new_task_queue = [] { return new httplib::ThreadPool(128); };
    server.Get(R"(/feed/(\d+))", [&](const httplib::Request& request, httplib::Response& response) {
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
    int port = server.bind_to_any_port("127.0.0.1");
    std::ofstream(argv[1]) << port << "\n";
    server.listen_after_bind();
}

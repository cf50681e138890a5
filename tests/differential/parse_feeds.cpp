// parse_feeds URL FILE...: each file through parsers::parse_feed (the function behind
// `newsmon parse`), one JSON line per file: the feed as `newsmon parse --json` prints it, or
// {"error": message}. One process for many feeds, so the differential test stays quick.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/feed.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: parse_feeds URL FILE...\n";
        return 2;
    }
    newsmon::parsers::ParseOptions options;
    options.feed_url = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        auto feed = newsmon::parsers::parse_feed(bytes.str(), options);
        if (feed)
            std::cout << newsmon::parsers::to_json(*feed, -1) << '\n';
        else
            std::cout << nlohmann::json{{"error", feed.error().message}}.dump(
                             -1, ' ', false, nlohmann::json::error_handler_t::replace)
                      << '\n';
    }
    return 0;
}

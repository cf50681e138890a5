// The configured feeds as a list of subscriptions (OPML) and back: `newsmon feeds export` and
// `newsmon feeds import`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "newsmon/parsers/opml.hpp"

namespace newsmon::config {

// Each feed as an OPML outline: its name, URL, language and category (its folders).
[[nodiscard]] std::vector<parsers::OpmlFeed> feeds_as_opml(const std::vector<FeedConfig>& feeds);

struct FeedImport {
    std::string toml;               // a [[feed]] block per new feed, to append to the config
    std::vector<std::string> notes; // what was left out or changed and why: "line 7: …"
    std::size_t added = 0;
    std::size_t left_out = 0;
};

// [[feed]] entries for the subscriptions that `configured` lacks. Names come from the titles
// (else the URL's host), made unique among the configured ones and each other by " (2)"…; a
// URL already configured or listed twice, or that is not http(s), is left out with a note;
// feed: URLs are read as the http(s) URLs they stand for.
[[nodiscard]] FeedImport import_feeds(const parsers::Opml& opml,
                                      const std::vector<FeedConfig>& configured);

} // namespace newsmon::config

// OPML, the list of subscriptions feed readers import and export: reading one (1.0 or 2.0,
// folders as nested outlines) and writing one (2.0, a folder per category).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace newsmon::parsers {

struct OpmlFeed {
    std::string title;    // the outline's title, else its text; white space collapsed
    std::string xml_url;  // the feed, as written
    std::string html_url; // the site; may be empty
    std::string language; // may be empty
    // The folders the outline sits in, outermost first, joined by "/" ("News/World"); else the
    // first path of its category attribute. Empty at the top level. A "/" inside one folder's
    // name becomes "-".
    std::string category;
    std::size_t line = 0; // where its <outline> starts, for messages
};

struct Opml {
    std::string title;
    std::vector<OpmlFeed> feeds; // in document order
};

// Bounds on a document, so that a hostile one costs little.
struct OpmlLimits {
    std::size_t max_bytes = 16U << 20;
    std::size_t max_depth = 64; // elements nested in each other
    std::size_t max_feeds = 10'000;
};

// Reads an OPML document: any encoding it declares, nested outlines as folders, outlines
// without xmlUrl as folders or ignored. DTDs are not read and no entity but XML's own is
// expanded. The error is one line naming the place: "line 4, column 7: …" or
// "line 9: <outline>: …".
[[nodiscard]] tl::expected<Opml, std::string> read_opml(std::string_view bytes,
                                                        const OpmlLimits& limits = {});

// An OPML 2.0 document listing `feeds` as type="rss" outlines, each inside a folder outline
// per segment of its category, folders and feeds in the order they first occur.
[[nodiscard]] std::string write_opml(std::string_view title, const std::vector<OpmlFeed>& feeds);

} // namespace newsmon::parsers

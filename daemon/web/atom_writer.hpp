// Atom 1.0 (RFC 4287) documents from stored articles: the text of `newsmon web`'s feeds.
#pragma once

#include <string>
#include <vector>

namespace newsmon::web {

struct AtomEntry {
    std::string id;        // an IRI that never changes for this article
    std::string title;     // plain text
    std::string link;      // the article; alternate
    std::string link_type; // the link's media type when it is not a web page; may be empty
    std::string author;    // may be empty
    std::string summary;   // plain text; may be empty
    std::string published; // RFC 3339
    std::string updated;   // RFC 3339
    std::vector<std::string> categories;
};

struct AtomFeed {
    std::string id;
    std::string title;
    std::string self;    // the document's own address, as the request named it
    std::string updated; // RFC 3339; the newest entry's, when left empty
    std::vector<AtomEntry> entries;
};

// The document, well-formed whatever the text holds: characters XML forbids are dropped and
// invalid UTF-8 is replaced (parsers::append_xml_text). The feed's author is newsmon, so that
// entries without one are still valid.
[[nodiscard]] std::string write_atom(const AtomFeed& feed);

} // namespace newsmon::web

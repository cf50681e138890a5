// What `newsmon web`'s Atom feeds show of stored articles: their text and dates, the source
// feed and guid that give each a lasting identity, and their topics; and which articles an
// alert rule was delivered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct AtomArticle {
    std::int64_t id = 0;
    std::string title;
    std::string url; // may be empty
    std::string author;
    std::string summary;   // plain text: the feed's summary, else the start of the page's text
    std::string published; // RFC 3339, UTC
    std::string updated;   // RFC 3339, UTC: when its content last changed, else published
    std::string feed;      // the feed's name
    std::string feed_url;  // the feed as configured
    std::string guid;      // unique within the feed
    std::vector<std::string> topics;
};

// The articles with these ids, in the order given; ids that name no article are left out.
[[nodiscard]] std::vector<AtomArticle> web_atom_articles(pqxx::connection& connection,
                                                         const std::vector<std::int64_t>& ids);

// The articles delivered for the rule `rule` (alert_log), the most recently delivered first,
// each once, at most `limit`; nullopt when there is no rule of that name.
[[nodiscard]] std::optional<std::vector<std::int64_t>>
web_alert_article_ids(pqxx::connection& connection, const std::string& rule, int limit);

} // namespace newsmon::store

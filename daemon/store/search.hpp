// Full-text search over stored articles, as `newsmon search` and analysts' tools use it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct SearchQuery {
    std::string text; // websearch_to_tsquery syntax: words, "phrases", OR, -excluded
    std::optional<std::string> topic;
    std::optional<std::chrono::milliseconds> since; // only articles published this recently
    int limit = 20;
};

struct SearchHit {
    std::int64_t id = 0;
    std::string published_at; // RFC 3339, UTC
    std::string feed;
    std::string title;
    std::string url;
    std::vector<std::string> topics;
};

// Newest first; English and Russian words match in any inflection, other words as written.
// A story republished by another feed appears once.
[[nodiscard]] std::vector<SearchHit> search_articles(pqxx::connection& connection,
                                                     const SearchQuery& query);

} // namespace newsmon::store

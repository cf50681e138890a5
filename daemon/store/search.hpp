// The articles `newsmon search` reads, newest first: those the GIN index over articles.words
// finds for a query's candidate tsquery (store/article_words.hpp), within a topic and a time.
// The query itself is then applied to each, by the code the alert rules use.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

// A stored article as a query is matched against it, with what `search` and `alert test` show.
struct SearchArticle {
    std::int64_t id = 0;
    std::string title;
    std::string summary;
    std::string content_text;
    std::string feed; // the feed's name
    std::string language;
    std::string url;
    std::string published_at; // ISO 8601, UTC
    std::vector<std::string> topics;
    std::int64_t story_id = 0;
    std::int64_t published_epoch = 0; // seconds
    std::string published_key;        // published_at as PostgreSQL writes it: a paging key
};

struct SearchFilter {
    std::optional<std::string> words;  // a tsquery the articles' words satisfy; nullopt: any
    std::optional<std::string> topics; // text[] literal: tagged with one of these; nullopt: any
    std::optional<std::string> since;  // RFC 3339: published then or later
    std::optional<std::string> until;  // RFC 3339: published before then
    std::optional<std::string> feed;   // the feed's name
    std::optional<std::string> language;
    // Start after this article: its published_key and id (keyset paging, newest first).
    std::optional<std::string> after_published;
    std::optional<std::int64_t> after_id;
};

// Gives the articles (not duplicates) that pass `filter`, newest first, to `visit` in
// batches (which it may move from), all read in one transaction, until `visit` returns false
// or none is left.
// An article whose words are unknown (stored before they were kept) always passes `words`.
void for_each_search_candidate(pqxx::connection& connection, const SearchFilter& filter,
                               const std::function<bool(std::vector<SearchArticle>&)>& visit);

} // namespace newsmon::store

// `newsmon restory` and `newsmon stories`: stories rebuilt for stored articles (after the
// method changed), and the top stories listed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct RestoryOptions {
    std::optional<std::string> since; // RFC 3339 or a date: articles published since then
    std::chrono::seconds window = std::chrono::hours{72};
    int batch_size = 500;
};

struct RestoryProgress {
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::int64_t moved = 0;       // articles whose story changed
    std::int64_t rollup_rows = 0; // topic_hourly rows recounted at the end
};

// Assigns every selected article its story again, in publication order, as ingest would have
// with the current method; articles published in the window before `since` keep theirs and
// may be joined. Each batch is its own transaction, so the daemon goes on storing meanwhile;
// the topic rollups, whose story counts follow the stories' first articles, are recounted at
// the end.
// A second run with the same method changes nothing: a story keeps the id its first article
// had.
RestoryProgress restory_articles(pqxx::connection& connection, const RestoryOptions& options,
                                 const std::function<void(const RestoryProgress&)>& on_batch);

struct StorySummary {
    std::int64_t id = 0;
    std::string title;
    std::string first_seen_at; // RFC 3339, UTC
    std::string last_seen_at;
    int article_count = 0;
    int feed_count = 0;
    std::vector<std::string> languages;
    std::vector<std::string> topics;
    std::string first_feed; // who broke it
    std::string first_url;
};

struct StoryListQuery {
    std::chrono::milliseconds since = std::chrono::hours{24}; // last seen this recently
    std::optional<std::string> topic;
    int limit = 20;
};

// The most widely carried stories first (feeds, then articles, then the earliest).
[[nodiscard]] std::vector<StorySummary> list_stories(pqxx::connection& connection,
                                                     const StoryListQuery& query);

} // namespace newsmon::store

// [retention] articles: the archive keeps stories, not loose articles. A story whose latest
// report is older than the setting goes as a whole, with its articles and, by their keys, the
// articles' topics, alert deliveries, spike hits and archived pages. The topic rollups keep
// their counts: trends reach further back than the articles they were counted from.
#pragma once

#include <chrono>
#include <cstdint>

#include <pqxx/pqxx>

namespace newsmon::store {

struct ArticlePurge {
    std::int64_t stories = 0;
    std::int64_t articles = 0;
    bool finished = true; // false: the time was up with expired stories left
};

// Deletes the expired stories, `batch` stories per transaction, each under the writers' story
// lock (no article joins a story while it is being deleted), until none is left or `budget`
// has passed: the first purge of a large archive is spread over several calls, and the loop
// that calls it keeps polling (and telling the watchdog it lives) in between.
ArticlePurge purge_expired_articles(pqxx::connection& connection, std::chrono::milliseconds keep,
                                    std::chrono::milliseconds budget, int batch = 500);

} // namespace newsmon::store

// `newsmon retag`: re-tags stored articles after topics changed, in batches, each batch in its
// own transaction with its progress, so that an interrupted run resumes where it stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "tag/tagger.hpp"

namespace newsmon::store {

struct RetagOptions {
    std::optional<std::string> since; // RFC 3339 or a date: articles published since then
    std::optional<std::string> topic; // only this topic's rows are replaced
    int batch_size = 500;
};

struct RetagProgress {
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::int64_t last_id = 0;
    std::int64_t languages_set = 0; // articles whose detected language was stored or changed
    bool resumed = false;
    std::int64_t rollup_rows = 0; // topic_hourly rows recounted at the end
};

// Replaces the article_topics rows of the selected articles with what `tagger` finds now, and
// detects the language of those whose feed declared none (stored, and used for stemming).
// `on_batch` is called after each committed batch. At the end, the topic rollups are recounted
// (rebuild_topic_rollups). Returns the final progress.
RetagProgress retag_articles(pqxx::connection& connection, const tag::Tagger& tagger,
                             const RetagOptions& options,
                             const std::function<void(const RetagProgress&)>& on_batch);

// Tags these articles again from their stored text (their page's, when it was fetched) inside
// the caller's transaction, as retag_articles does. The topic rollups are left to the caller.
void retag_articles_by_id(pqxx::work& tx, const tag::Tagger& tagger,
                          const std::vector<std::int64_t>& ids);

} // namespace newsmon::store

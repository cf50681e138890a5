// The raw archive's rows (0018_raw_archive.sql): written beside the polls and pages they came
// from, pruned after [archive] keep, read back by `newsmon reparse`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"

namespace newsmon::store {

enum class ArchiveKind { feed, page };

// Stores `body` inside the caller's transaction; returns its id.
std::int64_t archive_body(pqxx::work& tx, ArchiveKind kind, std::int64_t feed_id,
                          std::optional<std::int64_t> article_id, const ArchivedBody& body);

// Drops the archive's partitions (a week each) wholly fetched longer than `keep` ago
// (log_partitions.hpp); returns how many bodies went.
std::int64_t purge_archive(pqxx::connection& connection, std::chrono::milliseconds keep);

struct ArchiveSize {
    std::int64_t bodies = 0;
    std::int64_t disk_bytes = 0; // the table with its TOAST and indexes
};
// The archive's row count (the planner's estimate: no scan) and size on disk.
[[nodiscard]] ArchiveSize archive_size(pqxx::connection& connection);

// One archived body read back, still compressed.
struct StoredBody {
    std::int64_t id = 0;
    std::int64_t feed_id = 0;
    std::optional<std::int64_t> article_id; // pages
    std::string feed_url;                   // the configured URL: the feed's identity
    std::string url;                        // where the body came from
    std::string content_type;
    std::string frame;
};

struct ArchiveSelection {
    ArchiveKind kind = ArchiveKind::feed;
    std::optional<std::string> since; // fetched at or after (a timestamptz literal)
    std::optional<std::int64_t> feed_id;
};
// Up to `limit` archived bodies of `selection` with ids above `after_id`, in id order. Pages
// come only in their newest version per article.
[[nodiscard]] std::vector<StoredBody> archived_bodies(pqxx::connection& connection,
                                                      const ArchiveSelection& selection,
                                                      std::int64_t after_id, int limit);
// How many bodies archived_bodies would give from the start.
[[nodiscard]] std::int64_t count_archived_bodies(pqxx::connection& connection,
                                                 const ArchiveSelection& selection);

// The feed with this name or URL (an enabled one first); nullopt when there is none.
[[nodiscard]] std::optional<std::int64_t> feed_id_named(pqxx::connection& connection,
                                                        const std::string& name_or_url);

} // namespace newsmon::store

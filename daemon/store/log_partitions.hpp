// The tables partitioned by the time of a fetch (0022_partitioned_logs.sql): their partitions
// are made ahead of time, and retention drops the ones wholly past it rather than deleting rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct PartitionedLog {
    const char* table;
    const char* time_column;
    int days_per_partition;       // partitions start on multiples of this since 1970-01-01 UTC
    bool written_before_articles; // in a poll's transaction: the order its locks are taken in
};

inline constexpr PartitionedLog k_fetch_log_partitions{"fetch_log", "started_at", 1, false};
inline constexpr PartitionedLog k_raw_archive_partitions{"raw_archive", "fetched_at", 7, true};

// Creates the partitions from the one holding `now` until `ahead` past it (named after the
// day they start: fetch_log_p20261204), moving any rows the default partition holds for them.
// Safe beside writers and other instances. Returns how many it created.
int create_partitions_ahead(pqxx::connection& connection, const PartitionedLog& log,
                            std::chrono::system_clock::time_point now, std::chrono::days ahead);

// create_partitions_ahead for both tables, a week (fetch_log) and two (raw_archive) ahead.
void create_log_partitions(pqxx::connection& connection);

struct PartitionPurge {
    int partitions = 0;    // dropped whole
    std::int64_t rows = 0; // in them, and deleted one by one
};

// Drops the partitions that end at or before `cutoff`; a partition with no lower bound (the
// table from before partitioning) or the default one has its rows before `cutoff` deleted, in
// batches. A partition that straddles `cutoff` is kept whole until all of it is past.
PartitionPurge purge_partitions(pqxx::connection& connection, const PartitionedLog& log,
                                std::chrono::system_clock::time_point cutoff);

struct LogPartition {
    std::string name;
    bool is_default = false;
    std::optional<std::int64_t> from; // seconds since the epoch; none for MINVALUE
    std::optional<std::int64_t> to;
};
[[nodiscard]] std::vector<LogPartition> log_partitions(pqxx::connection& connection,
                                                       const PartitionedLog& log);

} // namespace newsmon::store

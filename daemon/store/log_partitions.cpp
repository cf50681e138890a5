#include "store/log_partitions.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace newsmon::store {
namespace {

// pg_advisory_xact_lock key, "nmparts" read as a number: one maintainer at a time, so that two
// instances never create the same partition at once.
constexpr long long k_partition_lock = 0x6e6d7061727473;
constexpr std::int64_t k_seconds_per_day = 86400;
constexpr int k_delete_batch = 5000;

// A partition's bounds as PostgreSQL prints them, read back as seconds since the epoch. The
// text follows the session's DateStyle and time zone, whose abbreviations ("IST") do not
// always read back as the zone that printed them: every transaction here reads them in UTC
// and ISO (read_bounds_plainly). No backslashes, which standard_conforming_strings=off eats.
// OFFSET 0 keeps the bound's subquery from being merged into the outer query, which would
// print it once for the WHERE and again for each column: a partition another instance drops
// in between passes the test and then has a NULL bound.
constexpr const char* k_partitions = R"sql(
SELECT c.relname::text, b.bound = 'DEFAULT',
       extract(epoch FROM substring(b.bound FROM 'FROM [(]''([^'']+)''[)]')::timestamptz)::bigint,
       extract(epoch FROM substring(b.bound FROM 'TO [(]''([^'']+)''[)]')::timestamptz)::bigint
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
 CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound OFFSET 0) b
 WHERE i.inhparent = $1::regclass
   AND b.bound IS NOT NULL -- a partition being dropped by another instance
 ORDER BY 3 NULLS FIRST)sql";

void read_bounds_plainly(pqxx::transaction_base& tx) {
    tx.exec0("SET LOCAL datestyle = 'ISO, YMD'");
    tx.exec0("SET LOCAL timezone = 'UTC'");
}

std::vector<LogPartition> partitions_in(pqxx::transaction_base& tx, const PartitionedLog& log) {
    read_bounds_plainly(tx);
    std::vector<LogPartition> partitions;
    for (const auto& row : tx.exec_params(k_partitions, log.table))
        partitions.push_back(
            {row[0].as<std::string>(), row[1].as<bool>(),
             row[2].is_null() ? std::nullopt : std::optional(row[2].as<std::int64_t>()),
             row[3].is_null() ? std::nullopt : std::optional(row[3].as<std::int64_t>())});
    return partitions;
}

std::string timestamp(std::int64_t seconds) {
    return "to_timestamp(" + std::to_string(seconds) + ")";
}

// The day a partition starts, for its name: fetch_log_p20261204.
std::string partition_name(const PartitionedLog& log, std::int64_t from) {
    auto day = std::chrono::year_month_day{
        std::chrono::sys_days{std::chrono::days{from / k_seconds_per_day}}};
    char digits[16];
    std::snprintf(digits, sizeof digits, "%04d%02u%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return std::string(log.table) + "_p" + digits;
}

// The first part of [from, to) that no partition covers; empty when all of it is covered.
std::pair<std::int64_t, std::int64_t> first_gap(const std::vector<LogPartition>& partitions,
                                                std::int64_t from, std::int64_t to) {
    for (const auto& partition : partitions) // by their start: the table from before first
        if (!partition.is_default && partition.to && (!partition.from || *partition.from <= from) &&
            from < *partition.to)
            from = std::min(*partition.to, to);
    for (const auto& partition : partitions)
        if (!partition.is_default && partition.from && *partition.from > from &&
            *partition.from < to)
            to = *partition.from;
    return {from, to};
}

void create_partition(pqxx::work& tx, const PartitionedLog& log, std::int64_t from,
                      std::int64_t to) {
    auto name = tx.quote_name(partition_name(log, from));
    auto table = tx.quote_name(log.table);
    auto column = tx.quote_name(log.time_column);
    auto fallback = tx.quote_name(std::string(log.table) + "_default");
    tx.exec0("CREATE TABLE " + name + " (LIKE " + table +
             " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)");
    // Attaching checks that the default partition holds nothing of the new range: move it.
    tx.exec0("WITH moved AS (DELETE FROM " + fallback + " WHERE " + column +
             " >= " + timestamp(from) + " AND " + column + " < " + timestamp(to) +
             " RETURNING *) INSERT INTO " + name + " SELECT * FROM moved");
    tx.exec0("ALTER TABLE " + table + " ATTACH PARTITION " + name + " FOR VALUES FROM (" +
             timestamp(from) + ") TO (" + timestamp(to) + ")");
}

// Writers queue behind a table lock this waits for: give up soon, the next hour tries again.
// The short timeout is for the tables only: another instance holding the advisory lock is
// bounded by the same timeouts and its own work, which a loaded machine can stretch past them.
void take_maintenance_lock(pqxx::work& tx, const char* lock_timeout) {
    tx.exec0("SET LOCAL lock_timeout = '60s'");
    tx.exec_params1("SELECT pg_advisory_xact_lock($1)", k_partition_lock);
    tx.exec0(std::string("SET LOCAL lock_timeout = '") + lock_timeout + "'");
}

// Attaching a partition locks what its foreign keys point at (feeds; articles for the archive)
// and the default partition. Taking them first, in the order a poll's transaction writes
// (Store::record_poll: the archived body, the articles, the feed's row, its fetch_log row),
// means no writer holds one while waiting for another of them (no deadlock), and no row can
// reach the default partition between the move and the attach.
void hold_writers(pqxx::work& tx, const PartitionedLog& log) {
    std::string fallback = tx.quote_name(std::string(log.table) + "_default");
    if (log.written_before_articles)
        tx.exec0("LOCK TABLE " + fallback + " IN ACCESS EXCLUSIVE MODE");
    tx.exec0("LOCK TABLE articles, feeds IN SHARE ROW EXCLUSIVE MODE");
    if (!log.written_before_articles)
        tx.exec0("LOCK TABLE " + fallback + " IN ACCESS EXCLUSIVE MODE");
}

} // namespace

std::vector<LogPartition> log_partitions(pqxx::connection& connection, const PartitionedLog& log) {
    pqxx::read_transaction tx{connection};
    return partitions_in(tx, log);
}

int create_partitions_ahead(pqxx::connection& connection, const PartitionedLog& log,
                            std::chrono::system_clock::time_point now, std::chrono::days ahead) {
    using namespace std::chrono;
    const std::int64_t width = log.days_per_partition * k_seconds_per_day;
    const std::int64_t now_seconds = duration_cast<seconds>(now.time_since_epoch()).count();
    const std::int64_t until = now_seconds + duration_cast<seconds>(ahead).count();
    pqxx::work tx{connection};
    take_maintenance_lock(tx, "5s");
    auto partitions = partitions_in(tx, log);
    int created = 0;
    for (std::int64_t start = now_seconds - now_seconds % width; start <= until; start += width) {
        auto [from, to] = first_gap(partitions, start, start + width);
        if (from >= to)
            continue;
        if (created == 0)
            hold_writers(tx, log);
        create_partition(tx, log, from, to);
        partitions.push_back({partition_name(log, from), false, from, to});
        ++created;
    }
    tx.commit();
    return created;
}

void create_log_partitions(pqxx::connection& connection) {
    auto now = std::chrono::system_clock::now();
    create_partitions_ahead(connection, k_fetch_log_partitions, now, std::chrono::days{7});
    create_partitions_ahead(connection, k_raw_archive_partitions, now, std::chrono::days{14});
}

PartitionPurge purge_partitions(pqxx::connection& connection, const PartitionedLog& log,
                                std::chrono::system_clock::time_point cutoff) {
    using namespace std::chrono;
    const std::int64_t cutoff_seconds = duration_cast<seconds>(cutoff.time_since_epoch()).count();
    PartitionPurge purge;
    for (const auto& partition : log_partitions(connection, log)) {
        if (partition.is_default || !partition.to || *partition.to > cutoff_seconds)
            continue;
        // Dropping a partition locks the whole table: writers wait at most a second for a
        // long reader to finish, and the drop is tried again next hour.
        pqxx::work tx{connection};
        take_maintenance_lock(tx, "1s");
        if (tx.exec_params1("SELECT to_regclass($1) IS NULL", tx.quote_name(partition.name))[0]
                .as<bool>())
            continue; // another instance dropped it first
        auto name = tx.quote_name(partition.name);
        purge.rows += tx.exec1("SELECT count(*) FROM " + name)[0].as<std::int64_t>();
        tx.exec0("DROP TABLE " + name);
        tx.commit();
        ++purge.partitions;
    }
    // What has no partition of its own goes row by row, as before partitioning.
    for (const auto& partition : log_partitions(connection, log)) {
        if (!partition.is_default && partition.from)
            continue;
        while (true) {
            pqxx::work tx{connection};
            if (tx.exec_params1("SELECT to_regclass($1) IS NULL", tx.quote_name(partition.name))[0]
                    .as<bool>())
                break; // the table from before partitioning, just dropped by another instance
            auto name = tx.quote_name(partition.name);
            auto deleted =
                tx.exec0("DELETE FROM " + name + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " +
                         name + " WHERE " + tx.quote_name(log.time_column) + " < " +
                         timestamp(cutoff_seconds) + " LIMIT " + std::to_string(k_delete_batch) +
                         "))")
                    .affected_rows();
            tx.commit();
            purge.rows += static_cast<std::int64_t>(deleted);
            if (deleted < static_cast<std::size_t>(k_delete_batch))
                break;
        }
    }
    return purge;
}

} // namespace newsmon::store

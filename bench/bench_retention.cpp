// Retention of fetch_log: dropping a day's partition against deleting the same rows from an
// unpartitioned table of the old shape (0001's fetch_log, its two indexes), in the same
// database. 10,000 feeds polled every 15 minutes log 960,000 fetches a day.
// Needs $NEWSMON_BENCH_DATABASE_URL; $NEWSMON_BENCH_ROWS_PER_DAY (default 960000) and
// $NEWSMON_BENCH_DAYS (default 3) size the log; the oldest day is what expires.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <pqxx/pqxx>

#include "store/log_partitions.hpp"
#include "store/migrations.hpp"
#include "summary.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

long long env_or(const char* name, long long fallback) {
    const char* value = std::getenv(name);
    return value ? std::atoll(value) : fallback;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// `rows_per_day` fetches spread over each of the `days` days before today (UTC).
std::string fill(const char* table, long long days, long long rows_per_day) {
    return "INSERT INTO " + std::string(table) +
           " (feed_id, started_at, duration_ms, http_status, bytes, items_seen) "
           "SELECT 1 + g % 10000, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' "
           "- interval '1 day' * " +
           std::to_string(days) + " + interval '1 second' * (g * 86400.0 / " +
           std::to_string(rows_per_day) + "), 40, 304, 0, 0 FROM generate_series(0, " +
           std::to_string(days * rows_per_day - 1) + ") g";
}

// A table's size with its indexes, over its partitions when it has them.
long long disk_bytes(pqxx::connection& connection, const char* table) {
    pqxx::nontransaction tx{connection};
    return tx
        .exec_params1("SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) "
                      "FROM pg_partition_tree($1::regclass) WHERE isleaf), "
                      "pg_total_relation_size($1::regclass))::bigint",
                      table)[0]
        .as<long long>();
}

} // namespace

int main() {
    const char* url = bench::bench_database_url();
    if (!url)
        return 1;
    const long long rows_per_day = env_or("NEWSMON_BENCH_ROWS_PER_DAY", 960000);
    const long long days = env_or("NEWSMON_BENCH_DAYS", 3);
    pqxx::connection connection{url};
    store::migrate(connection);
    {
        pqxx::work tx{connection};
        tx.exec0("TRUNCATE fetch_log");
        tx.exec0("INSERT INTO feeds (url, name) SELECT 'http://127.0.0.1/f' || g, 'f' || g "
                 "FROM generate_series(1, 10000) g ON CONFLICT DO NOTHING");
        tx.exec0("DROP TABLE IF EXISTS fetch_log_unpartitioned");
        tx.exec0("CREATE TABLE fetch_log_unpartitioned (LIKE fetch_log INCLUDING DEFAULTS)");
        tx.exec0("ALTER TABLE fetch_log_unpartitioned ADD PRIMARY KEY (id)");
        tx.exec0("CREATE INDEX ON fetch_log_unpartitioned (feed_id, started_at DESC)");
        tx.exec0("CREATE INDEX ON fetch_log_unpartitioned (started_at)");
        tx.commit();
    }
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    store::create_partitions_ahead(connection, store::k_fetch_log_partitions,
                                   today - std::chrono::days{days}, std::chrono::days{days});
    auto started = Clock::now();
    {
        pqxx::work tx{connection};
        tx.exec0(fill("fetch_log", days, rows_per_day));
        tx.exec0("INSERT INTO fetch_log_unpartitioned OVERRIDING SYSTEM VALUE SELECT * FROM "
                 "fetch_log");
        tx.commit();
    }
    std::printf("filled %lld days of %lld fetches, both tables, in %.1f s\n", days, rows_per_day,
                seconds_since(started));
    {
        pqxx::nontransaction tx{connection};
        tx.exec0("VACUUM ANALYZE fetch_log_unpartitioned");
        tx.exec0("VACUUM ANALYZE fetch_log");
    }

    auto flat_before = disk_bytes(connection, "fetch_log_unpartitioned");
    auto partitioned_before = disk_bytes(connection, "fetch_log");

    // The oldest day expires.
    auto cutoff = today - std::chrono::days{days - 1};
    auto cutoff_sql =
        "to_timestamp(" +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(cutoff.time_since_epoch()).count()) +
        ")";
    started = Clock::now();
    long long deleted = 0;
    {
        pqxx::work tx{connection};
        deleted = static_cast<long long>(
            tx.exec0("DELETE FROM fetch_log_unpartitioned WHERE started_at < " + cutoff_sql)
                .affected_rows());
        tx.commit();
    }
    double delete_seconds = seconds_since(started);
    started = Clock::now();
    {
        pqxx::nontransaction tx{connection};
        tx.exec0("VACUUM fetch_log_unpartitioned");
    }
    double vacuum_seconds = seconds_since(started);

    started = Clock::now();
    auto purge = store::purge_partitions(connection, store::k_fetch_log_partitions, cutoff);
    double drop_seconds = seconds_since(started);

    auto megabytes = [](long long bytes) { return static_cast<double>(bytes) / 1e6; };
    std::printf("unpartitioned (the old shape): DELETE of %lld rows %.2f s, then VACUUM %.2f s; "
                "on disk %.0f MB before, %.0f MB after\n",
                deleted, delete_seconds, vacuum_seconds, megabytes(flat_before),
                megabytes(disk_bytes(connection, "fetch_log_unpartitioned")));
    std::printf("partitioned (purge_partitions: rows counted for the log, then the table "
                "dropped): %d partition(s), %lld rows, %.3f s, %.1fx faster than DELETE and "
                "VACUUM; on disk %.0f MB before, %.0f MB after\n",
                purge.partitions, static_cast<long long>(purge.rows), drop_seconds,
                (delete_seconds + vacuum_seconds) / drop_seconds, megabytes(partitioned_before),
                megabytes(disk_bytes(connection, "fetch_log")));
    bench::summary_row("retention: the oldest day of fetch_log dropped", drop_seconds, "s",
                       "DELETE of the same rows, unpartitioned", delete_seconds,
                       "faster than the DELETE");
    {
        pqxx::work tx{connection};
        tx.exec0("DROP TABLE fetch_log_unpartitioned");
        tx.exec0("TRUNCATE fetch_log");
        tx.commit();
    }
    return purge.rows == deleted ? 0 : 1;
}

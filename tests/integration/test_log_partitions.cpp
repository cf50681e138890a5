// fetch_log and raw_archive are partitioned by the time of the fetch (0022_partitioned_logs.sql):
// partitions made ahead, retention dropping whole partitions and only expired ones, and the
// migration of a populated database in place.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "store/log_partitions.hpp"
#include "store/migrations.hpp"
#include "store/raw_archive.hpp"
#include "test_database.hpp"

namespace {

using namespace newsmon;
using namespace std::chrono;
using testkit::TestDatabase;

constexpr days k_day{1};

// The partition name of the day `offset` days from today (UTC), as the daemon names them.
std::string day_partition(TestDatabase& db, const std::string& table, int offset) {
    return db.text("SELECT '" + table + "_p' || to_char((now() AT TIME ZONE 'UTC') + " +
                   std::to_string(offset) + " * interval '1 day', 'YYYYMMDD')");
}

std::vector<std::string> names(const std::vector<store::LogPartition>& partitions) {
    std::vector<std::string> names;
    for (const auto& partition : partitions)
        names.push_back(partition.name);
    return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Runs `step` on four connections at once, as four instances would; none may fail.
template <class Result, class Step>
std::vector<Result> as_four_instances(TestDatabase& db, const Step& step) {
    std::vector<Result> results(4);
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            try {
                pqxx::connection own{db.url()};
                results[i] = step(own);
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& error : errors)
        EXPECT_EQ(error, "");
    return results;
}

class LogPartitions : public ::testing::Test {
protected:
    void SetUp() override {
        store::migrate(connection);
        feed = std::to_string(
            db.scalar("INSERT INTO feeds (url, name) VALUES ('http://127.0.0.1/f', 'f') "
                      "RETURNING id"));
    }

    // Logs a fetch at `when` (an SQL expression) and returns the partition it landed in.
    std::string log_fetch(const std::string& when) {
        return db.text("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" + feed +
                       ", " + when + ", 5) RETURNING tableoid::regclass::text");
    }

    void archive_body(const std::string& when) {
        db.execute("INSERT INTO raw_archive (kind, feed_id, url, fetched_at, http_status, "
                   "content_hash, size, body) VALUES ('feed', " +
                   feed + ", 'http://127.0.0.1/f', " + when + ", 200, 'h', 4, 'body')");
    }

    TestDatabase db;
    pqxx::connection connection{db.url()};
    std::string feed;
};

TEST_F(LogPartitions, MigratingMakesTheComingDaysPartitionsAndRowsLandInThem) {
    auto partitions = names(store::log_partitions(connection, store::k_fetch_log_partitions));
    for (int offset = 0; offset <= 7; ++offset)
        EXPECT_TRUE(has(partitions, day_partition(db, "fetch_log", offset))) << offset;
    EXPECT_FALSE(has(partitions, day_partition(db, "fetch_log", 9)));
    EXPECT_EQ(log_fetch("now()"), day_partition(db, "fetch_log", 0));
    EXPECT_EQ(log_fetch("now() + interval '3 days'"), day_partition(db, "fetch_log", 3));
    EXPECT_EQ(log_fetch("now() - interval '40 days'"), "fetch_log_default");
    // raw_archive by the week: the present and the two weeks ahead are covered
    for (const char* when : {"now()", "now() + interval '14 days'"})
        EXPECT_NE(db.text(std::string("INSERT INTO raw_archive (kind, feed_id, url, fetched_at, "
                                      "http_status, content_hash, size, body) VALUES ('feed', ") +
                          feed + ", 'u', " + when +
                          ", 200, 'h', 1, 'x') RETURNING tableoid::regclass::text"),
                  "raw_archive_default")
            << when;
}

TEST_F(LogPartitions, CreatingAheadTakesTheDefaultPartitionsRowsAndIsIdempotent) {
    EXPECT_EQ(log_fetch("now() - interval '40 days'"), "fetch_log_default");
    auto past = system_clock::now() - 40 * k_day;
    EXPECT_EQ(
        store::create_partitions_ahead(connection, store::k_fetch_log_partitions, past, 2 * k_day),
        3);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log_default"), 0);
    EXPECT_EQ(db.text("SELECT tableoid::regclass::text FROM fetch_log"),
              day_partition(db, "fetch_log", -40));
    EXPECT_EQ(
        store::create_partitions_ahead(connection, store::k_fetch_log_partitions, past, 2 * k_day),
        0);
}

TEST_F(LogPartitions, InstancesCreatingTogetherDoNotCollide) {
    auto created = as_four_instances<int>(db, [](pqxx::connection& own) {
        return store::create_partitions_ahead(own, store::k_fetch_log_partitions,
                                              system_clock::now() + 30 * k_day, 5 * k_day);
    });
    int total = 0;
    for (int each : created)
        total += each;
    EXPECT_EQ(total, 6);
}

// Bounds are read back as PostgreSQL prints them, which depends on the session: under the SQL
// DateStyle, India's "IST" reads back as Israel's. Creating twice must find what it made.
TEST_F(LogPartitions, BoundsReadBackTheSameWhateverTheSessionsDateStyleAndZone) {
    pqxx::connection odd{db.url()};
    {
        pqxx::nontransaction tx{odd};
        tx.exec0("SET datestyle = 'SQL, DMY'");
        tx.exec0("SET timezone = 'Asia/Kolkata'");
    }
    auto later = system_clock::now() + 40 * k_day;
    EXPECT_EQ(store::create_partitions_ahead(odd, store::k_fetch_log_partitions, later, 2 * k_day),
              3);
    EXPECT_EQ(store::create_partitions_ahead(odd, store::k_fetch_log_partitions, later, 2 * k_day),
              0);
    // the day's first minutes are in the day's partition, not the default one
    EXPECT_EQ(log_fetch("date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + "
                        "interval '40 days 10 minutes'"),
              day_partition(db, "fetch_log", 40));
}

TEST_F(LogPartitions, WritersIntoTheDefaultPartitionMeanwhileLoseNothing) {
    // Rows for days without a partition go to the default partition while those days'
    // partitions are made: each row is either moved or written after, never refused.
    std::atomic<bool> done = false;
    std::atomic<int> written = 0;
    std::string error;
    std::thread writer([&] {
        try {
            pqxx::connection own{db.url()};
            for (int i = 0; !done || i < 20; ++i) {
                pqxx::work tx{own};
                tx.exec0("UPDATE feeds SET name = name WHERE id = " + feed);
                tx.exec0("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" +
                         feed + ", now() + interval '60 days' + interval '1 hour' * " +
                         std::to_string(i % 72) + ", 5)");
                tx.commit();
                ++written;
            }
        } catch (const std::exception& failure) {
            error = failure.what();
        }
    });
    int created = 0;
    for (int day = 60; day < 63; ++day)
        created += store::create_partitions_ahead(connection, store::k_fetch_log_partitions,
                                                  system_clock::now() + day * k_day, k_day);
    done = true;
    writer.join();
    EXPECT_EQ(error, "");
    EXPECT_GE(created, 3);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), written.load());
}

TEST_F(LogPartitions, InstancesPurgingTogetherDoNotCollide) {
    store::create_partitions_ahead(connection, store::k_fetch_log_partitions,
                                   system_clock::now() - 40 * k_day, 5 * k_day);
    for (int day = 35; day <= 40; ++day)
        log_fetch("now() - interval '" + std::to_string(day) + " days'");
    auto purges = as_four_instances<store::PartitionPurge>(db, [](pqxx::connection& own) {
        return store::purge_partitions(own, store::k_fetch_log_partitions,
                                       system_clock::now() - 30 * k_day);
    });
    int partitions = 0;
    std::int64_t rows = 0;
    for (const auto& purge : purges) {
        partitions += purge.partitions;
        rows += purge.rows;
    }
    EXPECT_EQ(partitions, 6);
    EXPECT_EQ(rows, 6);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 0);
}

TEST_F(LogPartitions, RetentionDropsOnlyPartitionsWhollyPastIt) {
    log_fetch("now() - interval '50 days'"); // in the default partition
    store::create_partitions_ahead(connection, store::k_fetch_log_partitions,
                                   system_clock::now() - 40 * k_day, 10 * k_day);
    for (int day = 30; day <= 40; ++day)
        log_fetch("date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '" +
                  std::to_string(day) + " days' + interval '12 hours'");
    log_fetch("now()");
    // Kept 35 days: the partitions of 36 to 40 days ago end before that and go whole; the one of
    // 35 days ago straddles it and stays whole; the default loses its old row.
    auto purge = store::purge_partitions(connection, store::k_fetch_log_partitions,
                                         system_clock::now() - 35 * k_day);
    EXPECT_EQ(purge.partitions, 5);
    EXPECT_EQ(purge.rows, 6);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 7);
    auto partitions = names(store::log_partitions(connection, store::k_fetch_log_partitions));
    for (int day = 36; day <= 40; ++day)
        EXPECT_FALSE(has(partitions, day_partition(db, "fetch_log", -day))) << day;
    for (int day = 30; day <= 35; ++day)
        EXPECT_TRUE(has(partitions, day_partition(db, "fetch_log", -day))) << day;
    EXPECT_TRUE(has(partitions, "fetch_log_default"));
    // Nothing more is past it.
    purge = store::purge_partitions(connection, store::k_fetch_log_partitions,
                                    system_clock::now() - 35 * k_day);
    EXPECT_EQ(purge.partitions, 0);
    EXPECT_EQ(purge.rows, 0);
}

TEST_F(LogPartitions, TheArchivesSizeCountsEveryPartition) {
    auto empty = store::archive_size(connection);
    archive_body("now()");
    archive_body("now() - interval '100 days'");
    db.execute("ANALYZE raw_archive");
    auto size = store::archive_size(connection);
    EXPECT_EQ(size.bodies, 2);
    EXPECT_GT(size.disk_bytes, empty.disk_bytes);
    EXPECT_EQ(store::purge_archive(connection, 90 * k_day), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 1);
}

// Where the partition made of the table from before partitioning ends.
std::optional<system_clock::time_point> end_of(pqxx::connection& connection,
                                               const store::PartitionedLog& log) {
    for (const auto& partition : store::log_partitions(connection, log))
        if (partition.name == std::string(log.table) + "_before_partitioning" && !partition.from &&
            partition.to)
            return system_clock::time_point{seconds{*partition.to}};
    return std::nullopt;
}

// The schema as it was before 0022: every migration up to `last` applied as migrate() would.
void migrate_until(pqxx::connection& connection, int last) {
    pqxx::work tx{connection};
    tx.exec0("CREATE TABLE schema_migrations (version integer NOT NULL, name text NOT NULL, "
             "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (version))");
    for (const auto& migration : store::embedded_migrations()) {
        if (migration.version > last)
            break;
        tx.exec0(std::string(migration.sql));
        tx.exec_params0("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        migration.version, std::string(migration.name));
    }
    tx.commit();
}

TEST(LogPartitionsMigration, APopulatedTableBecomesAPartitionTrimmedThenDropped) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    migrate_until(connection, 21);
    auto feed = std::to_string(
        db.scalar("INSERT INTO feeds (url, name) VALUES ('http://127.0.0.1/f', 'f') RETURNING id"));
    // one fetch dated ten years ahead by a clock far off
    for (const char* when : {"now() - interval '40 days'", "now() - interval '10 days'", "now()",
                             "now() + interval '3650 days'"})
        db.execute("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" + feed +
                   ", " + when + ", 5)");
    for (const char* when : {"now() - interval '100 days'", "now()", "now()"})
        db.execute("INSERT INTO raw_archive (kind, feed_id, url, fetched_at, http_status, "
                   "content_hash, size, body) VALUES ('feed', " +
                   feed + ", 'u', " + when + ", 200, 'h', 1, 'x')");
    // the newest body already gone: its id is not given again (articles.archive_id names it)
    auto last_archive_id = db.scalar("SELECT max(id) FROM raw_archive");
    db.execute("DELETE FROM raw_archive WHERE id = " + std::to_string(last_archive_id));

    EXPECT_EQ(store::migrate(connection),
              static_cast<int>(store::embedded_migrations().size()) - 21);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 4);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM raw_archive"), 2);
    // the old table holds what is dated up to the end of today, the default partition the rest
    EXPECT_EQ(db.text("SELECT string_agg(DISTINCT tableoid::regclass::text, ',' ORDER BY "
                      "tableoid::regclass::text) FROM fetch_log"),
              "fetch_log_before_partitioning,fetch_log_default");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log_default WHERE started_at > now()"), 1);
    EXPECT_EQ(db.text("SELECT has_table_privilege('newsmon_analyst', 'fetch_log', 'SELECT')"), "t");
    // ids carry on; today's fetches still go to the old table, tomorrow's to their partition
    EXPECT_EQ(db.text("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" + feed +
                      ", now(), 5) RETURNING id || ' ' || tableoid::regclass::text"),
              "5 fetch_log_before_partitioning");
    EXPECT_EQ(db.text("INSERT INTO fetch_log (feed_id, started_at, duration_ms) VALUES (" + feed +
                      ", now() + interval '1 day', 5) RETURNING tableoid::regclass::text"),
              day_partition(db, "fetch_log", 1));
    EXPECT_EQ(db.scalar("INSERT INTO raw_archive (kind, feed_id, url, fetched_at, http_status, "
                        "content_hash, size, body) VALUES ('feed', " +
                        feed + ", 'u', now() + interval '1 day', 200, 'h', 1, 'x') RETURNING id"),
              last_archive_id + 1);

    // Until all of it is past the retention, the old table loses its expired rows one by one.
    auto store_purge = store::purge_partitions(connection, store::k_fetch_log_partitions,
                                               system_clock::now() - 30 * k_day);
    EXPECT_EQ(store_purge.partitions, 0);
    EXPECT_EQ(store_purge.rows, 1);
    EXPECT_EQ(store::purge_archive(connection, 90 * k_day), 1);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 5);
    // Once all of it is, it goes whole, and nothing after it.
    auto old_fetch_log_end = end_of(connection, store::k_fetch_log_partitions);
    ASSERT_TRUE(old_fetch_log_end);
    store_purge =
        store::purge_partitions(connection, store::k_fetch_log_partitions, *old_fetch_log_end);
    EXPECT_EQ(store_purge.partitions, 1);
    EXPECT_EQ(store_purge.rows, 3);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 2); // tomorrow's and the one ahead
    // raw_archive's week was cut where the old table ended; with that gone, the rest of the week
    // before it gets a partition, not one overlapping the week's second part.
    auto old_archive_end = end_of(connection, store::k_raw_archive_partitions);
    ASSERT_TRUE(old_archive_end);
    EXPECT_EQ(store::purge_partitions(connection, store::k_raw_archive_partitions, *old_archive_end)
                  .partitions,
              1);
    EXPECT_EQ(store::create_partitions_ahead(connection, store::k_raw_archive_partitions,
                                             system_clock::now(), 14 * k_day),
              1);
    EXPECT_NE(db.text("INSERT INTO raw_archive (kind, feed_id, url, fetched_at, http_status, "
                      "content_hash, size, body) VALUES ('feed', " +
                      feed + ", 'u', now(), 200, 'h', 1, 'x') RETURNING tableoid::regclass::text"),
              "raw_archive_default");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_class WHERE relname = "
                        "'fetch_log_before_partitioning'"),
              0);
}

TEST(LogPartitionsMigration, AnEmptyTableIsDroppedRatherThanAttached) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    store::migrate(connection);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%_before_partitioning'"),
              0);
    EXPECT_EQ(db.text("SELECT relkind::text FROM pg_class WHERE relname = 'fetch_log'"), "p");
    EXPECT_EQ(db.text("SELECT relkind::text FROM pg_class WHERE relname = 'raw_archive'"), "p");
}

} // namespace

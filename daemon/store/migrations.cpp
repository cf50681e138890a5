#include "store/migrations.hpp"

#include <map>
#include <stdexcept>

#include "base/log.hpp"
#include "store/log_partitions.hpp"

namespace newsmon::store {
namespace {

// pg_advisory_lock key: the bytes of "newsmon" read as a number.
constexpr long long k_migration_lock = 0x6e6577736d6f6e;

constexpr const char* k_create_bookkeeping = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
))sql";

std::map<int, std::pair<std::string, std::string>>
applied_migrations(pqxx::connection& connection) {
    pqxx::nontransaction tx{connection};
    auto exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
    std::map<int, std::pair<std::string, std::string>> applied;
    if (!exists[0].as<bool>())
        return applied;
    for (const auto& row : tx.exec("SELECT version, name, applied_at::text FROM schema_migrations"))
        applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
    return applied;
}

// Holds the session-level advisory lock for its lifetime.
class MigrationLock {
public:
    explicit MigrationLock(pqxx::connection& connection) : m_connection(connection) {
        pqxx::nontransaction tx{m_connection};
        tx.exec_params("SELECT pg_advisory_lock($1)", k_migration_lock);
    }
    ~MigrationLock() {
        try {
            pqxx::nontransaction tx{m_connection};
            tx.exec_params("SELECT pg_advisory_unlock($1)", k_migration_lock);
        } catch (const std::exception&) {
            // The connection is gone, and the session lock went with it.
        }
    }
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    pqxx::connection& m_connection;
};

} // namespace

int migrate(pqxx::connection& connection) {
    MigrationLock lock(connection);
    {
        pqxx::nontransaction tx{connection};
        tx.exec0(k_create_bookkeeping);
    }
    auto applied = applied_migrations(connection);
    const auto& known = embedded_migrations();
    int newest_known = known.empty() ? 0 : known.back().version;
    if (!applied.empty() && applied.rbegin()->first > newest_known)
        throw std::runtime_error("the database schema is at migration " +
                                 std::to_string(applied.rbegin()->first) +
                                 ", newer than this newsmon knows (" +
                                 std::to_string(newest_known) + "); upgrade newsmon");
    int count = 0;
    for (const auto& migration : known) {
        if (applied.contains(migration.version))
            continue;
        pqxx::work tx{connection};
        tx.exec0(std::string(migration.sql));
        tx.exec_params0("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        migration.version, std::string(migration.name));
        tx.commit();
        ++count;
    }
    // Every path that migrates (daemon, poll --once, the commands) then finds today's
    // partitions. A lock not had in time is no reason not to start: rows wait in the default
    // partition, and the daemon tries again hourly.
    try {
        create_log_partitions(connection);
    } catch (const pqxx::sql_error& error) {
        log::warn("log partitions not created", {log::field("error", error.what())});
    }
    return count;
}

std::vector<MigrationStatus> migration_status(pqxx::connection& connection) {
    auto applied = applied_migrations(connection);
    std::vector<MigrationStatus> status;
    for (const auto& migration : embedded_migrations()) {
        MigrationStatus entry{migration.version, std::string(migration.name), std::nullopt};
        if (auto found = applied.find(migration.version); found != applied.end())
            entry.applied_at = found->second.second;
        status.push_back(std::move(entry));
        applied.erase(migration.version);
    }
    for (const auto& [version, row] : applied) // recorded by a newer newsmon
        status.push_back({version, row.first + " (unknown to this version)", row.second});
    return status;
}

} // namespace newsmon::store

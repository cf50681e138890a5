// Numbered, forward-only schema migrations, embedded in the binary and applied under a lock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

// Every migration this binary knows, in version order (generated from sql/migrations).
const std::vector<Migration>& embedded_migrations();

struct MigrationStatus {
    int version = 0;
    std::string name;
    std::optional<std::string> applied_at; // nullopt while pending
};

// Applies the pending migrations, each in its own transaction, holding a session advisory
// lock so that instances starting together cannot race. Returns how many were applied.
// Throws when the database has a migration this binary does not know (it is newer).
int migrate(pqxx::connection& connection);

// The known migrations with their state, plus any unknown ones the database has recorded.
std::vector<MigrationStatus> migration_status(pqxx::connection& connection);

} // namespace newsmon::store

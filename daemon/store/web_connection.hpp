// The web process's database connections: read-only, in UTC, with the rights of the
// newsmon_analyst role whenever that role exists.
#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

namespace newsmon::store {

struct WebConnection {
    std::unique_ptr<pqxx::connection> connection;
    bool as_analyst = false; // switched to newsmon_analyst; false when the role does not exist
};

// Connects to `url`, makes every transaction read-only, bounds each statement's time, and
// switches to newsmon_analyst when the role exists. Throws when the database cannot be reached
// or the login may not take the role (the message says how to grant it).
[[nodiscard]] WebConnection open_web_connection(const std::string& url);

} // namespace newsmon::store

// The web process's database connections: read-only, in UTC, with the rights of the
// newsmon_analyst role whenever that role exists; and, apart, the one that writes alert rules
// as the writer role.
#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>
#include <tl/expected.hpp>

namespace newsmon::store {

struct WebConnection {
    std::unique_ptr<pqxx::connection> connection;
    bool as_analyst = false; // switched to newsmon_analyst; false when the role does not exist
};

// Connects to `url`, makes every transaction read-only, bounds each statement's time, and
// switches to newsmon_analyst when the role exists. Throws when the database cannot be reached
// or the login may not take the role (the message says how to grant it).
[[nodiscard]] WebConnection open_web_connection(const std::string& url);

// Connects to `url` in UTC with each statement's time bounded, and switches to `role`
// ([web] write_role). Never falls back to the login's own rights: a role that does not exist or
// that the login may not take is an error saying how to set it up. Throws when the database
// cannot be reached.
[[nodiscard]] tl::expected<std::unique_ptr<pqxx::connection>, std::string>
open_web_writer_connection(const std::string& url, const std::string& role);

} // namespace newsmon::store

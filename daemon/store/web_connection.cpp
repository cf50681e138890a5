#include "store/web_connection.hpp"

#include <stdexcept>

namespace newsmon::store {

WebConnection open_web_connection(const std::string& url) {
    WebConnection opened{std::make_unique<pqxx::connection>(url), false};
    pqxx::nontransaction tx{*opened.connection};
    // Timestamps are written and read back (paging cursors) in one zone; a slow query ends
    // rather than holding a worker.
    tx.exec("SET TIME ZONE 'UTC'");
    tx.exec("SET default_transaction_read_only = on");
    tx.exec("SET statement_timeout = '10s'");
    bool role_exists =
        tx.exec1("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst')")[0]
            .as<bool>();
    if (!role_exists)
        return opened;
    bool may_switch =
        tx.exec1("SELECT pg_has_role(current_user, 'newsmon_analyst', 'MEMBER')")[0].as<bool>();
    if (!may_switch)
        throw std::runtime_error(
            "the database login may not take the role newsmon_analyst; as a superuser run: GRANT "
            "newsmon_analyst TO " +
            tx.exec1("SELECT current_user")[0].as<std::string>());
    tx.exec("SET ROLE newsmon_analyst");
    opened.as_analyst = true;
    return opened;
}

} // namespace newsmon::store

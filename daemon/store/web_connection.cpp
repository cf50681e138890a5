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

namespace newsmon::store {

tl::expected<std::unique_ptr<pqxx::connection>, std::string>
open_web_writer_connection(const std::string& url, const std::string& role) {
    auto connection = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction tx{*connection};
    tx.exec("SET TIME ZONE 'UTC'");
    tx.exec("SET statement_timeout = '10s'");
    bool role_exists =
        tx.exec_params1("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", role)[0]
            .as<bool>();
    if (!role_exists)
        return tl::unexpected("the role " + role +
                              " ([web] write_role) does not exist; `newsmon migrate` creates "
                              "newsmon_alert_writer when it may create roles (see the README, "
                              "\"Web API\")");
    try {
        tx.exec_params("SELECT set_config('role', $1, false)", role);
    } catch (const pqxx::insufficient_privilege&) {
        return tl::unexpected("the database login may not take the role " + role +
                              " ([web] write_role); as a superuser run: GRANT " + role + " TO " +
                              tx.exec1("SELECT session_user")[0].as<std::string>());
    }
    return connection;
}

} // namespace newsmon::store

#include "test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace newsmon::testkit {

std::string admin_database_url() {
    const char* url = std::getenv("NEWSMON_TEST_DATABASE_URL");
    if (!url || !*url)
        throw std::runtime_error("NEWSMON_TEST_DATABASE_URL is not set; run the tests with "
                                 "scripts/test, which starts a throwaway PostgreSQL");
    return url;
}

TestDatabase::TestDatabase() : m_admin_url(admin_database_url()) {
    static std::atomic<int> counter{0};
    m_name = "newsmon_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    pqxx::connection admin{m_admin_url};
    pqxx::nontransaction tx{admin};
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(m_name));
    tx.exec0("CREATE DATABASE " + tx.quote_name(m_name));
    // Later keywords win in a libpq connection string.
    m_url = m_admin_url + " dbname=" + m_name;
}

TestDatabase::~TestDatabase() {
    try {
        pqxx::connection admin{m_admin_url};
        pqxx::nontransaction tx{admin};
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(m_name) + " WITH (FORCE)");
    } catch (const std::exception&) {
        // A database left behind dies with the throwaway cluster.
    }
}

long long TestDatabase::scalar(const std::string& sql) const {
    pqxx::connection connection{m_url};
    pqxx::nontransaction tx{connection};
    return tx.exec1(sql)[0].as<long long>();
}

void TestDatabase::execute(const std::string& sql) const {
    pqxx::connection connection{m_url};
    pqxx::nontransaction tx{connection};
    tx.exec(sql);
}

std::string TestDatabase::text(const std::string& sql) const {
    pqxx::connection connection{m_url};
    pqxx::nontransaction tx{connection};
    auto field = tx.exec1(sql)[0];
    return field.is_null() ? std::string("<null>") : field.as<std::string>();
}

} // namespace newsmon::testkit

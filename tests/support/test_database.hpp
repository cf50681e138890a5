// A fresh PostgreSQL database per test, created in the cluster named by
// $NEWSMON_TEST_DATABASE_URL (scripts/test starts a throwaway one) and dropped afterwards.
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace newsmon::testkit {

class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // A libpq connection string for this database.
    [[nodiscard]] const std::string& url() const { return m_url; }

    // The single value of a query that returns one row and one column.
    [[nodiscard]] long long scalar(const std::string& sql) const;
    [[nodiscard]] std::string text(const std::string& sql) const;
    // `expression` over the columns of the article with this guid, as text ('' for NULL).
    [[nodiscard]] std::string article_column(const std::string& guid,
                                             const std::string& expression) const {
        return text("SELECT coalesce((" + expression + ")::text, '') FROM articles WHERE guid = '" +
                    guid + "'");
    }
    // Runs a statement in autocommit mode.
    void execute(const std::string& sql) const;

private:
    std::string m_admin_url;
    std::string m_name;
    std::string m_url;
};

// $NEWSMON_TEST_DATABASE_URL; throws with advice when it is not set.
[[nodiscard]] std::string admin_database_url();

} // namespace newsmon::testkit

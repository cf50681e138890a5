// The web workers' database connections: one per worker at most, opened when first needed,
// each lent to one request at a time (libpq connections are not shared between threads).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::web {

class ConnectionPool {
public:
    // A connection lent to the caller; it goes back to the pool when the lease ends, unless
    // discarded (it broke), in which case a new one is opened when next needed.
    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection)
            : m_pool(&pool), m_connection(std::move(connection)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        [[nodiscard]] pqxx::connection& connection() { return *m_connection; }
        void discard() { m_connection.reset(); }

    private:
        ConnectionPool* m_pool;
        std::unique_ptr<pqxx::connection> m_connection;
    };

    // Opens one connection at once, so that a wrong URL or role fails at start; throws then.
    ConnectionPool(std::string url, std::size_t size);

    // Waits for a free connection, or opens one while fewer than `size` exist. Throws when the
    // database cannot be reached.
    [[nodiscard]] Lease acquire();

private:
    void give_back(std::unique_ptr<pqxx::connection> connection);

    std::string m_url;
    std::size_t m_size;
    std::size_t m_open = 0; // lent and idle
    std::vector<std::unique_ptr<pqxx::connection>> m_idle;
    std::mutex m_mutex;
    std::condition_variable m_returned;
};

} // namespace newsmon::web

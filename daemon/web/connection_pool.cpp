#include "web/connection_pool.hpp"

#include "store/web_connection.hpp"

namespace newsmon::web {

ConnectionPool::Lease::~Lease() {
    m_pool->give_back(std::move(m_connection));
}

ConnectionPool::ConnectionPool(std::string url, std::size_t size)
    : m_url(std::move(url)), m_size(size) {
    m_idle.push_back(store::open_web_connection(m_url).connection);
    m_open = 1;
}

ConnectionPool::Lease ConnectionPool::acquire() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [&] { return !m_idle.empty() || m_open < m_size; });
    if (!m_idle.empty()) {
        auto connection = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(connection));
    }
    ++m_open; // counted before connecting, so others do not open past the bound meanwhile
    lock.unlock();
    try {
        return Lease(*this, store::open_web_connection(m_url).connection);
    } catch (...) {
        give_back(nullptr);
        throw;
    }
}

void ConnectionPool::give_back(std::unique_ptr<pqxx::connection> connection) {
    {
        std::lock_guard lock(m_mutex);
        if (connection && connection->is_open())
            m_idle.push_back(std::move(connection));
        else
            --m_open;
    }
    m_returned.notify_one();
}

} // namespace newsmon::web

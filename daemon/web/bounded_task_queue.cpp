#include "web/bounded_task_queue.hpp"

namespace newsmon::web {

BoundedTaskQueue::BoundedTaskQueue(std::size_t workers, std::size_t backlog) : m_backlog(backlog) {
    for (std::size_t i = 0; i < workers; ++i)
        m_workers.emplace_back([this] { work(); });
}

BoundedTaskQueue::~BoundedTaskQueue() {
    shutdown();
}

void BoundedTaskQueue::enqueue(std::function<void()> task) {
    std::unique_lock lock(m_mutex);
    // Once stopping, a task still runs (it closes its socket), so nothing waits any more.
    m_changed.wait(lock, [&] { return m_stopping || m_tasks.size() < m_backlog; });
    m_tasks.push_back(std::move(task));
    m_changed.notify_all();
}

void BoundedTaskQueue::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    for (auto& worker : m_workers)
        if (worker.joinable())
            worker.join();
}

void BoundedTaskQueue::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty())
                return; // stopping, and every accepted connection answered
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        m_changed.notify_all(); // room in the backlog
        task();
    }
}

} // namespace newsmon::web

// sd_notify messages; each is a no-op when not started by systemd (no $NOTIFY_SOCKET).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace newsmon::service {

void notify_ready();
void notify_reloading();
void notify_stopping();
void notify_status(const std::string& status);
void notify_watchdog();
// Half of $WATCHDOG_USEC when the watchdog is on: how often to send WATCHDOG=1.
[[nodiscard]] std::optional<std::chrono::milliseconds> watchdog_interval();

// While it lives, tells systemd every `every` that the work in hand (`status`) goes on: it
// extends the start timeout (90 s by default) and, when the watchdog is on, pings it. A migration
// that builds an index over a grown archive takes minutes; a start killed at the timeout would
// roll it back and begin it again at every restart. No thread without $NOTIFY_SOCKET.
class SystemdKeepalive {
public:
    explicit SystemdKeepalive(std::string status,
                              std::chrono::milliseconds every = std::chrono::seconds{5});
    ~SystemdKeepalive();
    SystemdKeepalive(const SystemdKeepalive&) = delete;
    SystemdKeepalive& operator=(const SystemdKeepalive&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_done = false;
    std::thread m_thread;
};

} // namespace newsmon::service

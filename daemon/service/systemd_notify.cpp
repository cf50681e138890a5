#include "service/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace newsmon::service {

void notify_ready() {
    sd_notify(0, "READY=1");
}
void notify_reloading() {
    sd_notify(0, "RELOADING=1");
}
void notify_stopping() {
    sd_notify(0, "STOPPING=1");
}
void notify_status(const std::string& status) {
    sd_notify(0, ("STATUS=" + status).c_str());
}
void notify_watchdog() {
    sd_notify(0, "WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return std::nullopt;
    return std::chrono::milliseconds{usec / 2000};
}

SystemdKeepalive::SystemdKeepalive(std::string status, std::chrono::milliseconds every) {
    if (!std::getenv("NOTIFY_SOCKET"))
        return;
    // Each message grants three intervals more, so one late wake-up costs nothing.
    auto extension = std::chrono::duration_cast<std::chrono::microseconds>(every * 3).count();
    std::string message = "EXTEND_TIMEOUT_USEC=" + std::to_string(extension) + "\nSTATUS=" + status;
    bool watchdog = watchdog_interval().has_value();
    m_thread = std::thread([this, message, every, watchdog] {
        std::unique_lock lock(m_mutex);
        do {
            sd_notify(0, message.c_str());
            if (watchdog)
                notify_watchdog();
        } while (!m_wake.wait_for(lock, every, [this] { return m_done; }));
    });
}

SystemdKeepalive::~SystemdKeepalive() {
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

} // namespace newsmon::service

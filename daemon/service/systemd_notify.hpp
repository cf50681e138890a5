// sd_notify messages; each is a no-op when not started by systemd (no $NOTIFY_SOCKET).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace newsmon::service {

void notify_ready();
void notify_reloading();
void notify_stopping();
void notify_status(const std::string& status);
void notify_watchdog();
// Half of $WATCHDOG_USEC when the watchdog is on: how often to send WATCHDOG=1.
[[nodiscard]] std::optional<std::chrono::milliseconds> watchdog_interval();

} // namespace newsmon::service

// SIGINT, SIGTERM and SIGHUP read synchronously from a signalfd instead of async handlers.
#pragma once

#include <chrono>
#include <optional>

#include "base/unique_fd.hpp"

namespace newsmon::service {

// Blocks the three signals in the calling thread (do it before starting any thread, so every
// thread inherits the mask) and reads them from a signalfd.
class SignalWatcher {
public:
    SignalWatcher();
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // Waits up to `timeout` for a signal; returns its number, or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // A signal already pending, without waiting.
    std::optional<int> poll() { return wait(std::chrono::milliseconds{0}); }

private:
    base::UniqueFd m_fd;
};

} // namespace newsmon::service

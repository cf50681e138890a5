// SIGINT, SIGTERM and SIGHUP read synchronously from a signalfd instead of async handlers.
#pragma once

#include <chrono>
#include <optional>

namespace newsmon::service {

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : m_fd(fd) {}
    ~UniqueFd();
    UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    [[nodiscard]] int get() const { return m_fd; }
    int release() {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

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
    UniqueFd m_fd;
};

} // namespace newsmon::service

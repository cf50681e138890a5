// A Daemon on its own thread, for tests that drive `newsmon run` in-process; and a wait for a
// condition with a deadline.
#pragma once

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>

#include "config/config.hpp"
#include "service/daemon.hpp"

namespace newsmon::testkit {

// Runs a Daemon on its own thread; signals are sent to that thread, which reads them from the
// signalfd it created, so the test process itself is never signalled.
class DaemonThread {
public:
    explicit DaemonThread(const std::filesystem::path& config_path) {
        std::promise<pthread_t> started;
        auto handle = started.get_future();
        m_thread = std::thread([this, config_path, promise = std::move(started)]() mutable {
            service::SignalWatcher signals;
            auto loaded = config::load_config(config_path);
            promise.set_value(pthread_self());
            if (!loaded.config) {
                m_exit_status = -1;
                return;
            }
            service::Daemon daemon(std::move(*loaded.config), signals);
            m_daemon = &daemon;
            m_exit_status = daemon.run();
            m_daemon = nullptr;
        });
        m_handle = handle.get();
    }
    ~DaemonThread() {
        if (m_thread.joinable()) {
            signal(SIGTERM);
            m_thread.join();
        }
    }
    void signal(int number) { pthread_kill(m_handle, number); }
    // Sends SIGTERM and returns how long the daemon took to stop.
    std::chrono::milliseconds stop() {
        auto started = std::chrono::steady_clock::now();
        signal(SIGTERM);
        m_thread.join();
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
    }
    [[nodiscard]] int exit_status() const { return m_exit_status; }
    // The endpoints' port, once the daemon listens.
    [[nodiscard]] int port() const {
        service::Daemon* daemon = m_daemon;
        return daemon ? daemon->endpoint_port() : 0;
    }

private:
    std::thread m_thread;
    pthread_t m_handle{};
    std::atomic<int> m_exit_status{-2};
    std::atomic<service::Daemon*> m_daemon{nullptr};
};

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds{10}) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return condition();
}

} // namespace newsmon::testkit

// The daemon's alert thread, on its own database connection: it keeps the live rule set up to
// date (LISTEN newsmon_rules, and a periodic re-read as a fallback) and runs the sender
// whenever deliveries are added (LISTEN newsmon_deliveries) or a retry comes due.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "alerts/sender.hpp"
#include "base/metrics.hpp"
#include "config/config.hpp"
#include "rules/rule_set.hpp"

namespace newsmon::alerts {

class AlertService {
public:
    AlertService(const config::Config& config, rules::LiveRules& rules, base::Metrics* metrics);
    ~AlertService();
    AlertService(const AlertService&) = delete;
    AlertService& operator=(const AlertService&) = delete;

    void start();
    void stop(); // returns once the thread has ended; a transfer in flight is abandoned

private:
    void run();
    void serve(const std::string& database_url);
    void pause(std::chrono::milliseconds duration);

    std::string m_database_url;
    std::chrono::milliseconds m_rules_refresh;
    rules::LiveRules& m_rules;
    base::Metrics* m_metrics;
    std::atomic<bool> m_stopping{false};
    Sender m_sender;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
};

} // namespace newsmon::alerts

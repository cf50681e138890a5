// `newsmon run`: poll due feeds until SIGTERM/SIGINT; SIGHUP reloads the config.
#pragma once

#include <filesystem>

#include <mutex>

#include "alerts/alert_service.hpp"
#include "base/metrics.hpp"
#include "config/config.hpp"
#include "service/http_endpoints.hpp"
#include "service/pipeline.hpp"
#include "service/signals.hpp"
#include "store/spool.hpp"
#include "store/store.hpp"

namespace newsmon::service {

// This instance's name in feeds.lease_owner: [daemon] instance, else host:pid.
[[nodiscard]] std::string instance_name(const config::Config& config);

class Daemon {
public:
    // `config` must have passed validation (its topics compile).
    Daemon(config::Config config, SignalWatcher& signals);

    // Returns the process exit status: 0 after a clean stop, 1 when it cannot start.
    int run();

    // The port /metrics and /healthz answer on (0 before run, or when off).
    [[nodiscard]] int endpoint_port() const { return m_endpoints ? m_endpoints->port() : 0; }
    [[nodiscard]] const base::Metrics& metrics() const { return m_metrics; }

private:
    [[nodiscard]] const config::Config& settings() const { return m_pipeline.config(); }
    enum class Wake { timeout, stop, reload };

    void connect();
    void work_once(); // one round: connect when needed, replay, poll, fetch pages
    void replay_spool();
    bool replay(const std::filesystem::path& file, const store::FeedPoll& poll);
    void quarantine(const std::filesystem::path& file, const std::string& reason);
    void update_gauges();
    void set_database_state(bool up, const std::string& problem);
    void set_health_problem(const std::string& problem);
    void report_failure(const std::exception& error, std::chrono::milliseconds retry_delay);
    [[nodiscard]] bool database_is_away(const std::exception& error);
    void drop_connections();
    void poll_due_feeds();
    bool poll_due_batch(); // false when no feed was due
    void evaluate_spikes();
    void fold_rollups();
    void fetch_due_pages();
    std::chrono::milliseconds time_until_next_work(); // the next feed or page due
    void maintain_log_partitions();                   // fetch_log's and raw_archive's, hourly
    void purge_when_due();
    void reload();
    void apply_config(config::Config config);
    void sync_reloaded_config();
    void restart_alert_service();
    Wake sleep_for(std::chrono::milliseconds duration);
    Wake classify(std::optional<int> signal);

    SignalWatcher& m_signals;
    std::unique_ptr<store::Store> m_store;
    bool m_stop_requested = false;
    bool m_reload_requested = false;
    bool m_ready = false;   // READY=1 sent: the database was reachable and migrated once
    std::string m_instance; // lease owner name
    base::Metrics m_metrics;
    Pipeline m_pipeline; // after m_metrics, which it counts in
    std::unique_ptr<store::Spool> m_spool;
    std::vector<std::unique_ptr<store::Store>> m_writers; // store in parallel with fetching
    std::unique_ptr<alerts::AlertService> m_alert_service;
    std::unique_ptr<HttpEndpoints> m_endpoints;
    mutable std::mutex m_health_mutex;
    std::string m_health_problem = "starting"; // empty when healthy
    std::optional<std::chrono::steady_clock::time_point> m_last_purge;
};

} // namespace newsmon::service

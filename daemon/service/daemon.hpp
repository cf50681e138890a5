// `newsmon run`: poll due feeds until SIGTERM/SIGINT; SIGHUP reloads the config.
#pragma once

#include <filesystem>

#include "config/config.hpp"
#include "service/signals.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

// This instance's name in feeds.lease_owner: [daemon] instance, else host:pid.
[[nodiscard]] std::string instance_name(const config::Config& config);

class Daemon {
public:
    // `config` must have passed validation (its topics compile).
    Daemon(config::Config config, SignalWatcher& signals);

    // Returns the process exit status: 0 after a clean stop.
    int run();

private:
    enum class Wake { timeout, stop, reload };

    void connect();
    void poll_due_feeds();
    void purge_when_due();
    void reload();
    Wake sleep_for(std::chrono::milliseconds duration);
    Wake classify(std::optional<int> signal);

    config::Config m_config;
    tag::Tagger m_tagger;
    SignalWatcher& m_signals;
    std::unique_ptr<store::Store> m_store;
    bool m_stop_requested = false;
    bool m_reload_requested = false;
    std::string m_instance; // lease owner name
    std::optional<std::chrono::steady_clock::time_point> m_last_purge;
};

} // namespace newsmon::service

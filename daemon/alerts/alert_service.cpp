#include "alerts/alert_service.hpp"

#include <pqxx/pqxx>

#include "alerts/rule_store.hpp"
#include "base/log.hpp"
#include "store/redact.hpp"

namespace newsmon::alerts {
namespace {

constexpr std::chrono::milliseconds k_poll_every{500}; // retries come due without a NOTIFY
constexpr std::chrono::milliseconds k_first_retry{1'000};
constexpr std::chrono::milliseconds k_longest_retry{30'000};

class Flag : public pqxx::notification_receiver {
public:
    Flag(pqxx::connection_base& connection, const std::string& channel, bool& raised)
        : pqxx::notification_receiver(connection, channel), m_raised(raised) {}
    void operator()(const std::string&, int) override { m_raised = true; }

private:
    bool& m_raised;
};

} // namespace

AlertService::AlertService(const config::Config& config, rules::LiveRules& rules,
                           base::Metrics* metrics)
    : m_database_url(config.database.url), m_rules_refresh(config.alerts.rules_refresh),
      m_rules(rules), m_metrics(metrics), m_sender(config, metrics, &m_stopping) {}

AlertService::~AlertService() {
    stop();
}

void AlertService::start() {
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void AlertService::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void AlertService::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, duration, [this] { return m_stopping.load(); });
}

void AlertService::run() {
    auto retry = k_first_retry;
    while (!m_stopping) {
        try {
            serve(m_database_url);
            retry = k_first_retry;
        } catch (const std::exception& error) {
            // The database went away; matches wait in alert_deliveries until it is back.
            log::warn("alert sender paused",
                      {log::field("error", store::redact_passwords(error.what())),
                       log::field("retry_ms", retry.count())});
            pause(retry);
            retry = std::min(retry * 2, k_longest_retry);
        }
    }
}

void AlertService::serve(const std::string& database_url) {
    pqxx::connection connection{store::remember_password(database_url)};
    bool rules_changed = true, deliveries_added = true;
    Flag rules_flag(connection, "newsmon_rules", rules_changed);
    Flag deliveries_flag(connection, "newsmon_deliveries", deliveries_added);
    auto last_read = std::chrono::steady_clock::now();
    while (!m_stopping) {
        auto now = std::chrono::steady_clock::now();
        if (rules_changed || now - last_read >= m_rules_refresh) {
            rules_changed = false;
            last_read = now;
            auto loaded = load_rules(connection);
            m_rules.replace(loaded.rules);
            if (m_metrics)
                m_metrics->set("newsmon_alert_rules", {{"state", "active"}},
                               static_cast<double>(loaded.rules->size()));
            if (m_metrics)
                m_metrics->set("newsmon_alert_rules", {{"state", "invalid"}}, loaded.invalid);
        }
        deliveries_added = false;
        m_sender.deliver_due(connection);
        if (!deliveries_added && !rules_changed)
            connection.await_notification(0, static_cast<long>(k_poll_every.count()) * 1000);
    }
}

} // namespace newsmon::alerts

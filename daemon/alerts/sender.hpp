// The sender: claims due deliveries, sends them on every channel of their rule, and records
// the outcome. A claim pushes the next attempt into the future before anything is sent, so a
// crash between sending and recording resends once, after that delay, with the same delivery
// id for the receiver to drop the repeat.
#pragma once

#include <atomic>
#include <pqxx/pqxx>

#include "alerts/channels.hpp"
#include "base/metrics.hpp"
#include "config/config.hpp"
#include "store/alert_deliveries.hpp"

namespace newsmon::alerts {

struct SendReport {
    int sent = 0;    // deliveries (or digests) every channel of which has them now
    int retried = 0; // some channel failed; another attempt is scheduled
    int failed = 0;  // out of attempts
};

class Sender {
public:
    // `metrics` may be null; `stopping` aborts a transfer in flight.
    Sender(const config::Config& config, base::Metrics* metrics = nullptr,
           const std::atomic<bool>* stopping = nullptr);

    // Sends everything due now: single deliveries, then digests whose period is over.
    SendReport deliver_due(pqxx::connection& connection);

private:
    struct Claimed;

    [[nodiscard]] store::DeliveryBackoff backoff() const;
    SendReport send_singles(pqxx::connection& connection);
    SendReport send_digests(pqxx::connection& connection);
    bool send_digest(pqxx::connection& connection, std::int64_t rule_id, SendReport& report);
    // Sends one message on the channels that do not have it yet; returns the last error.
    std::optional<std::string> send(pqxx::connection& connection, const Claimed& claimed,
                                    std::vector<std::string>& channels_done);
    void record(pqxx::connection& connection, const std::vector<std::int64_t>& ids,
                const Claimed& claimed, const std::vector<std::string>& channels_done,
                const std::optional<std::string>& error, SendReport& report);
    void count(const char* channel, bool ok);

    config::AlertSettings m_settings;
    ChannelSender m_channels;
    base::Metrics* m_metrics;
};

} // namespace newsmon::alerts

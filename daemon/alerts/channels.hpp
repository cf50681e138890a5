// The network channels of an alert: a webhook POST and an SMTP message, each one blocking
// libcurl transfer with the [alerts] time limit, abandoned when the daemon stops.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "alerts/webhook_policy.hpp"
#include "config/config.hpp"

namespace newsmon::alerts {

class ChannelSender {
public:
    // `stopping`, when given, aborts a transfer in flight as soon as it turns true.
    ChannelSender(const config::Config& config, const std::atomic<bool>* stopping = nullptr);

    // POSTs `body` with X-Newsmon-Delivery, and X-Newsmon-Signature when `secret` is not empty.
    // Returns the error, or nullopt when the receiver answered 2xx. A private, loopback or
    // link-local target not in [alerts] webhook_allow is refused before connecting.
    [[nodiscard]] std::optional<std::string> post_webhook(const std::string& url,
                                                          const std::string& body,
                                                          const std::string& delivery_id,
                                                          const std::string& secret) const;

    // Sends a whole RFC 5322 message to one address through [smtp] url.
    [[nodiscard]] std::optional<std::string> send_mail(const std::string& address,
                                                       const std::string& message) const;

    [[nodiscard]] const std::string& mail_from() const { return m_smtp.from; }

private:
    config::SmtpSettings m_smtp;
    WebhookPolicy m_webhook_policy;
    std::string m_user_agent;
    long m_timeout_ms;
    const std::atomic<bool>* m_stopping;
};

} // namespace newsmon::alerts

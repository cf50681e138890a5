#include "alerts/sender.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "alerts/message.hpp"
#include "alerts/rule_store.hpp"
#include "base/log.hpp"
#include "tag/article_text.hpp"

namespace newsmon::alerts {
namespace {

constexpr std::size_t k_notify_limit = 7999; // PostgreSQL refuses longer NOTIFY payloads

// A NOTIFY payload within PostgreSQL's limit: the webhook body, else its essentials.
std::string notify_payload(const AlertMessage& message, const std::string& body) {
    if (body.size() <= k_notify_limit)
        return body;
    nlohmann::json brief = {
        {"delivery_id", message.delivery_id}, {"rule", message.rule}, {"truncated", true}};
    if (!message.digest && !message.articles.empty())
        brief["article_id"] = message.articles.front().id;
    return brief.dump();
}

} // namespace

struct Sender::Claimed {
    std::vector<std::int64_t> ids;
    std::vector<std::string> channels_done;
    std::string channels_json;
    std::string secret;
    AlertMessage message;
};

Sender::Sender(const config::Config& config, base::Metrics* metrics,
               const std::atomic<bool>* stopping)
    : m_settings(config.alerts), m_channels(config, stopping), m_metrics(metrics) {}

void Sender::count(const char* channel, bool ok) {
    if (m_metrics)
        m_metrics->add("newsmon_alerts_total",
                       {{"channel", channel}, {"outcome", ok ? "sent" : "failed"}});
}

SendReport Sender::deliver_due(pqxx::connection& connection) {
    SendReport report = send_singles(connection);
    SendReport digests = send_digests(connection);
    report.sent += digests.sent;
    report.retried += digests.retried;
    report.failed += digests.failed;
    return report;
}

namespace {

AlertArticle article_of(const store::ClaimedDelivery& delivery) {
    AlertArticle article{delivery.article_id,
                         delivery.title,
                         delivery.url,
                         delivery.feed,
                         delivery.published_at,
                         delivery.language,
                         delivery.topics,
                         delivery.matched_terms,
                         delivery.story_id,
                         delivery.feed_count,
                         delivery.story_first_seen_at,
                         {}};
    std::string body = tag::article_body(delivery.summary, delivery.content_text);
    article.snippet = make_snippet(
        {delivery.title, body, delivery.language, delivery.query, delivery.matched_terms});
    return article;
}

} // namespace

store::DeliveryBackoff Sender::backoff() const {
    return {std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.retry_delay),
            std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.max_retry_delay)};
}

SendReport Sender::send_singles(pqxx::connection& connection) {
    SendReport report;
    for (auto& delivery : store::claim_single_deliveries(connection, backoff())) {
        Claimed claimed{{delivery.id},
                        delivery.channels_done,
                        delivery.channels,
                        delivery.secret,
                        {std::to_string(delivery.id),
                         delivery.rule,
                         false,
                         {article_of(delivery)},
                         delivery.update,
                         std::nullopt}};
        std::optional<std::string> error;
        if (!delivery.spike.empty()) {
            auto spike = parse_spike_summary(delivery.spike);
            if (spike)
                claimed.message.spike = std::move(*spike);
            else
                error = spike.error();
        }
        std::vector<std::string> done = claimed.channels_done;
        if (!error)
            error = send(connection, claimed, done);
        record(connection, claimed.ids, claimed, done, error, report);
    }
    return report;
}

SendReport Sender::send_digests(pqxx::connection& connection) {
    SendReport report;
    for (auto rule_id : store::digest_rules_due(connection))
        send_digest(connection, rule_id, report);
    return report;
}

bool Sender::send_digest(pqxx::connection& connection, std::int64_t rule_id, SendReport& report) {
    auto deliveries = store::claim_digest_deliveries(connection, rule_id, backoff());
    if (deliveries.empty())
        return false;
    const auto& first = deliveries.front();
    Claimed claimed{{},
                    first.channels_done,
                    first.channels,
                    first.secret,
                    AlertMessage{"", first.rule, true, {}, false, std::nullopt}};
    for (const auto& delivery : deliveries) {
        claimed.ids.push_back(delivery.id);
        claimed.message.articles.push_back(article_of(delivery));
    }
    claimed.message.delivery_id =
        "digest-" + std::to_string(rule_id) + "-" + std::to_string(claimed.ids.back());
    std::vector<std::string> done = claimed.channels_done;
    auto error = send(connection, claimed, done);
    record(connection, claimed.ids, claimed, done, error, report);
    if (!error)
        store::record_digest_sent(connection, rule_id);
    return !error;
}

std::optional<std::string> Sender::send(pqxx::connection& connection, const Claimed& claimed,
                                        std::vector<std::string>& channels_done) {
    auto channels = parse_channels(claimed.channels_json);
    if (!channels)
        return "rule " + claimed.message.rule + ": " + channels.error();
    std::string body = webhook_json(claimed.message);
    std::optional<std::string> last_error;
    // Each channel once: a retry skips the channels that already have the message.
    auto attempt = [&](const char* kind, const std::string& target, auto&& deliver) {
        std::string key = std::string(kind) + (target.empty() ? "" : ":" + target);
        if (std::find(channels_done.begin(), channels_done.end(), key) != channels_done.end())
            return;
        std::optional<std::string> error = deliver();
        count(kind, !error);
        if (error)
            last_error = error;
        else
            channels_done.push_back(key);
    };
    for (const auto& url : channels->webhooks)
        attempt("webhook", url, [&] {
            return m_channels.post_webhook(url, body, claimed.message.delivery_id, claimed.secret);
        });
    for (const auto& address : channels->emails)
        attempt("email", address, [&] {
            return m_channels.send_mail(
                address, mail_message(claimed.message, m_channels.mail_from(), address));
        });
    if (channels->notify)
        attempt("notify", "", [&]() -> std::optional<std::string> {
            store::notify_alert(connection, notify_payload(claimed.message, body));
            return std::nullopt;
        });
    return last_error;
}

void Sender::record(pqxx::connection& connection, const std::vector<std::int64_t>& ids,
                    const Claimed& claimed, const std::vector<std::string>& channels_done,
                    const std::optional<std::string>& error, SendReport& report) {
    bool out_of_attempts = store::record_delivery_attempt(connection, ids, channels_done, error,
                                                          m_settings.max_attempts);
    if (!error) {
        ++report.sent;
        return;
    }
    log::warn(out_of_attempts ? "alert delivery failed for good"
                              : "alert not delivered; will retry",
              {log::field("rule", claimed.message.rule),
               log::field("delivery", claimed.message.delivery_id), log::field("error", *error)});
    if (out_of_attempts) {
        ++report.failed;
        return;
    }
    ++report.retried;
}

} // namespace newsmon::alerts

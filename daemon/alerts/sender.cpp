#include "alerts/sender.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "alerts/message.hpp"
#include "alerts/rule_store.hpp"
#include "service/log.hpp"
#include "store/store.hpp"

namespace newsmon::alerts {
namespace {

constexpr int k_claim_batch = 50;
constexpr std::size_t k_notify_limit = 7999; // PostgreSQL refuses longer NOTIFY payloads

// Pushes the next attempt out before sending: attempt n waits retry_delay * 2^(n-1), capped.
constexpr const char* k_backoff =
    "now() + least($2::float8, $1::float8 * power(2, d.attempts)) * interval '1 millisecond'";

const std::string k_claim_singles = std::string(R"sql(
WITH due AS (
    SELECT d.id FROM alert_deliveries d JOIN alert_rules r ON r.id = d.rule_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND r.enabled
       AND r.digest IS NULL
     ORDER BY d.next_attempt_at, d.id
     LIMIT )sql") + std::to_string(k_claim_batch) +
                                    R"sql(
       FOR UPDATE OF d SKIP LOCKED)
UPDATE alert_deliveries d SET attempts = d.attempts + 1, next_attempt_at = )sql" +
                                    k_backoff +
                                    R"sql(
  FROM due WHERE d.id = due.id
RETURNING d.id)sql";

// Everything a message says about each claimed delivery, in delivery order.
constexpr const char* k_details = R"sql(
SELECT d.id, d.attempts, array_to_json(d.channels_done)::text, array_to_json(d.matched_terms)::text,
       r.name, r.channels::text, coalesce(r.secret, ''),
       a.id, a.title, coalesce(a.url, ''), f.name,
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((SELECT array_to_json(array_agg(t.topic ORDER BY t.topic))
                   FROM article_topics t WHERE t.article_id = a.id)::text, '[]')
  FROM alert_deliveries d
  JOIN alert_rules r ON r.id = d.rule_id
  JOIN articles a ON a.id = d.article_id
  JOIN feeds f ON f.id = a.feed_id
 WHERE d.id = ANY($1::bigint[])
 ORDER BY d.id
)sql";

constexpr const char* k_record = R"sql(
UPDATE alert_deliveries
   SET channels_done = $2::text[], last_error = $3::text,
       status = CASE WHEN $3::text IS NULL THEN 'sent' WHEN attempts >= $4 THEN 'failed'
                     ELSE 'pending' END,
       sent_at = CASE WHEN $3::text IS NULL THEN now() END
 WHERE id = ANY($1::bigint[])
RETURNING status = 'failed'
)sql";

std::vector<std::string> strings_from_json(const std::string& text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    std::vector<std::string> out;
    if (json.is_array())
        for (const auto& element : json)
            if (element.is_string())
                out.push_back(element.get<std::string>());
    return out;
}

std::vector<std::int64_t> ids_of(const pqxx::result& rows) {
    std::vector<std::int64_t> ids;
    for (const auto& row : rows)
        ids.push_back(row[0].as<std::int64_t>());
    return ids;
}

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

Sender::Sender(const config::Config& config, service::Metrics* metrics,
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

// One claimed row's article, and the parts of the message every row of it shares.
AlertArticle article_of(const pqxx::row& row) {
    return {row[7].as<std::int64_t>(),
            row[8].as<std::string>(),
            row[9].as<std::string>(),
            row[10].as<std::string>(),
            row[11].as<std::string>(),
            strings_from_json(row[12].as<std::string>()),
            strings_from_json(row[3].as<std::string>())};
}

} // namespace

SendReport Sender::send_singles(pqxx::connection& connection) {
    SendReport report;
    pqxx::result rows;
    {
        pqxx::work tx{connection};
        auto ids = ids_of(tx.exec_params(k_claim_singles,
                                         static_cast<double>(m_settings.retry_delay.count()),
                                         static_cast<double>(m_settings.max_retry_delay.count())));
        if (ids.empty())
            return report;
        rows = tx.exec_params(k_details, store::to_int_array(ids));
        tx.commit(); // claimed before anything is sent
    }
    for (const auto& row : rows) {
        Claimed claimed{
            {row[0].as<std::int64_t>()},
            strings_from_json(row[2].as<std::string>()),
            row[5].as<std::string>(),
            row[6].as<std::string>(),
            {row[0].as<std::string>(), row[4].as<std::string>(), false, {article_of(row)}}};
        std::vector<std::string> done = claimed.channels_done;
        auto error = send(connection, claimed, done);
        record(connection, claimed.ids, claimed, done, error, report);
    }
    return report;
}

SendReport Sender::send_digests(pqxx::connection& connection) {
    SendReport report;
    std::vector<std::int64_t> due;
    {
        pqxx::work tx{connection};
        due = ids_of(tx.exec(R"sql(
SELECT r.id FROM alert_rules r
 WHERE r.enabled AND r.digest IS NOT NULL
   AND coalesce(r.last_digest_at, r.created_at) + r.digest <= now()
   AND EXISTS (SELECT 1 FROM alert_deliveries d
                WHERE d.rule_id = r.id AND d.status = 'pending' AND d.next_attempt_at <= now())
 ORDER BY r.id)sql"));
        tx.commit();
    }
    for (auto rule_id : due)
        send_digest(connection, rule_id, report);
    return report;
}

bool Sender::send_digest(pqxx::connection& connection, std::int64_t rule_id, SendReport& report) {
    pqxx::result rows;
    {
        pqxx::work tx{connection};
        if (tx.exec_params("SELECT 1 FROM alert_rules WHERE id = $1 FOR UPDATE SKIP LOCKED",
                           rule_id)
                .empty())
            return false; // another instance is sending it
        // A digest claimed before a crash goes again as it was, under the same id.
        auto unfinished = tx.exec_params(
            "SELECT digest_key FROM alert_deliveries WHERE rule_id = $1 AND status = 'pending' "
            "AND digest_key IS NOT NULL AND next_attempt_at <= now() LIMIT 1",
            rule_id);
        std::string key;
        std::string claim = "UPDATE alert_deliveries d SET attempts = d.attempts + 1, "
                            "next_attempt_at = " +
                            std::string(k_backoff) + ", digest_key = $4 WHERE d.rule_id = $3 AND ";
        if (!unfinished.empty()) {
            key = unfinished[0][0].as<std::string>();
            claim += "d.digest_key = $4";
        } else {
            auto last = tx.exec_params1(
                "SELECT max(id) FROM alert_deliveries WHERE rule_id = $1 AND status = 'pending' "
                "AND digest_key IS NULL AND next_attempt_at <= now()",
                rule_id);
            if (last[0].is_null())
                return false;
            key = "digest-" + std::to_string(rule_id) + "-" + last[0].as<std::string>();
            claim += "d.digest_key IS NULL AND d.status = 'pending' AND d.next_attempt_at <= now() "
                     "AND d.id <= " +
                     last[0].as<std::string>();
        }
        auto ids = ids_of(tx.exec_params(
            claim + " RETURNING d.id", static_cast<double>(m_settings.retry_delay.count()),
            static_cast<double>(m_settings.max_retry_delay.count()), rule_id, key));
        rows = tx.exec_params(k_details, store::to_int_array(ids));
        tx.commit();
    }
    if (rows.empty())
        return false;
    Claimed claimed{ids_of(rows), strings_from_json(rows[0][2].as<std::string>()),
                    rows[0][5].as<std::string>(), rows[0][6].as<std::string>(),
                    AlertMessage{"", rows[0][4].as<std::string>(), true, {}}};
    claimed.message.delivery_id =
        "digest-" + std::to_string(rule_id) + "-" + std::to_string(claimed.ids.back());
    for (const auto& row : rows)
        claimed.message.articles.push_back(article_of(row));
    std::vector<std::string> done = claimed.channels_done;
    auto error = send(connection, claimed, done);
    record(connection, claimed.ids, claimed, done, error, report);
    if (!error) {
        pqxx::work tx{connection};
        tx.exec_params0("UPDATE alert_rules SET last_digest_at = now() WHERE id = $1", rule_id);
        tx.commit();
    }
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
            pqxx::nontransaction tx{connection};
            tx.exec_params("SELECT pg_notify('newsmon_alert', $1)",
                           notify_payload(claimed.message, body));
            return std::nullopt;
        });
    return last_error;
}

void Sender::record(pqxx::connection& connection, const std::vector<std::int64_t>& ids,
                    const Claimed& claimed, const std::vector<std::string>& channels_done,
                    const std::optional<std::string>& error, SendReport& report) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(k_record, store::to_int_array(ids),
                               store::to_text_array(channels_done), error, m_settings.max_attempts);
    tx.commit();
    if (!error) {
        ++report.sent;
        return;
    }
    bool out_of_attempts = !rows.empty() && rows[0][0].as<bool>();
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

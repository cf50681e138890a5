#include "store/alert_deliveries.hpp"

#include "store/store.hpp"

namespace newsmon::store {
namespace {

constexpr int k_claim_batch = 50;

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
                   FROM article_topics t WHERE t.article_id = a.id)::text, '[]'),
       a.story_id, d.kind, coalesce(d.feed_count, s.feed_count, 1),
       coalesce(to_char(s.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       r.query, coalesce(a.language, ''), a.summary, coalesce(a.content_text, ''),
       coalesce(d.spike::text, '')
  FROM alert_deliveries d
  JOIN alert_rules r ON r.id = d.rule_id
  JOIN articles a ON a.id = d.article_id
  JOIN feeds f ON f.id = a.feed_id
  LEFT JOIN stories s ON s.id = a.story_id
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

std::vector<std::int64_t> ids_of(const pqxx::result& rows) {
    std::vector<std::int64_t> ids;
    for (const auto& row : rows)
        ids.push_back(row[0].as<std::int64_t>());
    return ids;
}

ClaimedDelivery delivery_of(const pqxx::row& row) {
    return {row[0].as<std::int64_t>(),
            strings_from_json(row[2].as<std::string>()),
            strings_from_json(row[3].as<std::string>()),
            row[4].as<std::string>(),
            row[5].as<std::string>(),
            row[6].as<std::string>(),
            row[7].as<std::int64_t>(),
            row[8].as<std::string>(),
            row[9].as<std::string>(),
            row[10].as<std::string>(),
            row[11].as<std::string>(),
            strings_from_json(row[12].as<std::string>()),
            row[13].as<std::int64_t>(),
            row[14].as<std::string>() == "update",
            row[15].as<int>(),
            row[16].as<std::string>(),
            row[17].as<std::string>(),
            row[18].as<std::string>(),
            row[19].as<std::string>(),
            row[20].as<std::string>(),
            row[21].as<std::string>()};
}

std::vector<ClaimedDelivery> details_of(pqxx::work& tx, const std::vector<std::int64_t>& ids) {
    std::vector<ClaimedDelivery> claimed;
    for (const auto& row : tx.exec_params(k_details, to_int_array(ids)))
        claimed.push_back(delivery_of(row));
    return claimed;
}

double ms(std::chrono::milliseconds duration) {
    return static_cast<double>(duration.count());
}

} // namespace

std::vector<ClaimedDelivery> claim_single_deliveries(pqxx::connection& connection,
                                                     const DeliveryBackoff& backoff) {
    pqxx::work tx{connection};
    auto ids = ids_of(
        tx.exec_params(k_claim_singles, ms(backoff.retry_delay), ms(backoff.max_retry_delay)));
    if (ids.empty())
        return {};
    auto claimed = details_of(tx, ids);
    tx.commit(); // claimed before anything is sent
    return claimed;
}

std::vector<std::int64_t> digest_rules_due(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto due = ids_of(tx.exec(R"sql(
SELECT r.id FROM alert_rules r
 WHERE r.enabled AND r.digest IS NOT NULL
   AND coalesce(r.last_digest_at, r.created_at) + r.digest <= now()
   AND EXISTS (SELECT 1 FROM alert_deliveries d
                WHERE d.rule_id = r.id AND d.status = 'pending' AND d.next_attempt_at <= now())
 ORDER BY r.id)sql"));
    tx.commit();
    return due;
}

std::vector<ClaimedDelivery> claim_digest_deliveries(pqxx::connection& connection,
                                                     std::int64_t rule_id,
                                                     const DeliveryBackoff& backoff) {
    pqxx::work tx{connection};
    if (tx.exec_params("SELECT 1 FROM alert_rules WHERE id = $1 FOR UPDATE SKIP LOCKED", rule_id)
            .empty())
        return {}; // another instance is sending it
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
            return {};
        key = "digest-" + std::to_string(rule_id) + "-" + last[0].as<std::string>();
        claim += "d.digest_key IS NULL AND d.status = 'pending' AND d.next_attempt_at <= now() "
                 "AND d.id <= " +
                 last[0].as<std::string>();
    }
    auto ids = ids_of(tx.exec_params(claim + " RETURNING d.id", ms(backoff.retry_delay),
                                     ms(backoff.max_retry_delay), rule_id, key));
    auto claimed = details_of(tx, ids);
    tx.commit();
    return claimed;
}

bool record_delivery_attempt(pqxx::connection& connection, const std::vector<std::int64_t>& ids,
                             const std::vector<std::string>& channels_done,
                             const std::optional<std::string>& error, int max_attempts) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(k_record, to_int_array(ids), to_text_array(channels_done), error,
                               max_attempts);
    tx.commit();
    return !rows.empty() && rows[0][0].as<bool>();
}

void record_digest_sent(pqxx::connection& connection, std::int64_t rule_id) {
    pqxx::work tx{connection};
    tx.exec_params0("UPDATE alert_rules SET last_digest_at = now() WHERE id = $1", rule_id);
    tx.commit();
}

void notify_alert(pqxx::connection& connection, const std::string& payload) {
    pqxx::nontransaction tx{connection};
    tx.exec_params("SELECT pg_notify('newsmon_alert', $1)", payload);
}

} // namespace newsmon::store

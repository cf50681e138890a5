#include "store/alert_log.hpp"

#include "store/store.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_recent = R"sql(
SELECT d.id, r.name, d.kind, d.status, d.attempts, coalesce(d.last_error, ''),
       to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(to_char(d.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       to_char(d.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       array_to_json(d.matched_terms)::text, r.channels::text,
       array_to_json(d.channels_done)::text,
       a.id, a.title, coalesce(a.url, ''), f.name,
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM alert_deliveries d
  JOIN alert_rules r ON r.id = d.rule_id
  JOIN articles a ON a.id = d.article_id
  JOIN feeds f ON f.id = a.feed_id
 WHERE ($1 = '' OR r.name = $1) AND ($2::timestamptz IS NULL OR d.created_at >= $2::timestamptz)
 ORDER BY d.created_at DESC, d.id DESC
 LIMIT $3
)sql";

DeliveryLogEntry entry_of(const pqxx::row& row) {
    return {row[0].as<std::int64_t>(),  row[1].as<std::string>(),
            row[2].as<std::string>(),   row[3].as<std::string>(),
            row[4].as<int>(),           row[5].as<std::string>(),
            row[6].as<std::string>(),   row[7].as<std::string>(),
            row[8].as<std::string>(),   strings_from_json(row[9].as<std::string>()),
            row[10].as<std::string>(),  strings_from_json(row[11].as<std::string>()),
            row[12].as<std::int64_t>(), row[13].as<std::string>(),
            row[14].as<std::string>(),  row[15].as<std::string>(),
            row[16].as<std::string>()};
}

} // namespace

std::optional<std::vector<DeliveryLogEntry>> recent_deliveries(pqxx::connection& connection,
                                                               const DeliveryLogQuery& query) {
    pqxx::read_transaction tx{connection};
    if (!query.rule.empty() &&
        tx.exec_params("SELECT 1 FROM alert_rules WHERE name = $1", query.rule).empty())
        return std::nullopt;
    std::vector<DeliveryLogEntry> entries;
    for (const auto& row : tx.exec_params(k_recent, query.rule, query.since, query.limit))
        entries.push_back(entry_of(row));
    return entries;
}

} // namespace newsmon::store

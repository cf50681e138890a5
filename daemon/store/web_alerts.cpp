#include "store/web_alerts.hpp"

#include "store/json_field.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_rules = R"sql(
SELECT r.name, r.query, r.enabled, r.per, coalesce(r.digest::text, ''),
       r.spike_window IS NOT NULL, r.signed, r.last_error,
       coalesce((SELECT json_agg(k ORDER BY k) FROM jsonb_object_keys(r.channels) k)::text, '[]'),
       count(d.id) FILTER (WHERE d.status = 'pending'),
       count(d.id) FILTER (WHERE d.status = 'sent'),
       count(d.id) FILTER (WHERE d.status = 'failed'),
       to_char(max(d.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       (SELECT e.last_error FROM alert_deliveries e
         WHERE e.rule_id = r.id AND e.last_error IS NOT NULL
         ORDER BY e.id DESC LIMIT 1)
  FROM alert_rules_public r LEFT JOIN alert_deliveries d ON d.rule_id = r.id
 WHERE $1::text IS NULL OR r.name = $1::text
 GROUP BY r.id, r.name, r.query, r.enabled, r.per, r.digest, r.spike_window, r.signed,
          r.last_error, r.channels
 ORDER BY r.name
)sql";

constexpr const char* k_rule_exists = "SELECT 1 FROM alert_rules_public WHERE name = $1";

constexpr const char* k_deliveries = R"sql(
SELECT l.delivery_id, l.status, l.kind, l.attempts, l.last_error,
       to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(l.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(array_to_json(l.matched_terms)::text, '[]'),
       l.article_id, l.title, coalesce(l.url, ''), l.feed, l.story_id,
       to_char(l.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM alert_log l
 WHERE l.rule = $1 AND ($2::bigint IS NULL OR l.delivery_id < $2::bigint)
 ORDER BY l.delivery_id DESC
 LIMIT $3
)sql";

nlohmann::json rule_of(const pqxx::row& row) {
    return {{"name", row[0].as<std::string>()},
            {"query", row[1].as<std::string>()},
            {"enabled", row[2].as<bool>()},
            {"per", row[3].as<std::string>()},
            {"digest", row[4].as<std::string>()},
            {"kind", row[5].as<bool>() ? "spike" : "match"},
            {"signed", row[6].as<bool>()},
            {"last_error", json_or_null<std::string>(row[7])},
            {"channels", nlohmann::json::parse(row[8].as<std::string>())},
            {"deliveries",
             {{"pending", row[9].as<std::int64_t>()},
              {"sent", row[10].as<std::int64_t>()},
              {"failed", row[11].as<std::int64_t>()}}},
            {"last_delivery_at", json_or_null<std::string>(row[12])},
            {"last_delivery_error", json_or_null<std::string>(row[13])}};
}

nlohmann::json delivery_of(const pqxx::row& row) {
    return {{"id", row[0].as<std::int64_t>()},
            {"status", row[1].as<std::string>()},
            {"kind", row[2].as<std::string>()},
            {"attempts", row[3].as<int>()},
            {"last_error", json_or_null<std::string>(row[4])},
            {"created_at", row[5].as<std::string>()},
            {"sent_at", json_or_null<std::string>(row[6])},
            {"matched_terms", nlohmann::json::parse(row[7].as<std::string>())},
            {"article",
             {{"id", row[8].as<std::int64_t>()},
              {"title", row[9].as<std::string>()},
              {"url", row[10].as<std::string>()},
              {"feed", row[11].as<std::string>()},
              {"published_at", row[13].as<std::string>()}}},
            {"story_id", json_or_null<std::int64_t>(row[12])}};
}

} // namespace

nlohmann::json web_alert_rules(pqxx::connection& connection) {
    pqxx::read_transaction tx{connection};
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_rules, std::optional<std::string>()))
        rules.push_back(rule_of(row));
    return rules;
}

std::optional<nlohmann::json> web_alert_rule(pqxx::connection& connection,
                                             const std::string& name) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(k_rules, name);
    if (rows.empty())
        return std::nullopt;
    return rule_of(rows[0]);
}

std::optional<WebPage> web_alert_deliveries(pqxx::connection& connection,
                                            const DeliveryPageQuery& query) {
    pqxx::read_transaction tx{connection};
    if (tx.exec_params(k_rule_exists, query.rule).empty())
        return std::nullopt;
    std::optional<std::int64_t> after;
    if (query.after)
        after = query.after->id;
    auto rows = tx.exec_params(k_deliveries, query.rule, after, query.limit + 1);
    WebPage page;
    for (const auto& row : rows) {
        if (page.items.size() == static_cast<std::size_t>(query.limit)) {
            page.next = PageKey{"", page.items.back()["id"].get<std::int64_t>()};
            break;
        }
        page.items.push_back(delivery_of(row));
    }
    return page;
}

} // namespace newsmon::store

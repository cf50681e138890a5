#include "store/alert_rules.hpp"

namespace newsmon::store {

std::optional<std::int64_t> add_alert_rule(pqxx::connection& connection, const NewAlertRule& rule) {
    pqxx::work tx{connection};
    auto added = tx.exec_params(
        "INSERT INTO alert_rules (name, query, channels, digest, secret, per, "
        "update_every, spike_window, spike_baseline, spike_min_count) "
        "VALUES ($1, $2, $3::jsonb, $4 * interval '1 second', NULLIF($5, ''), $6, "
        "$7, justify_hours($8 * interval '1 second'), "
        "justify_hours($9 * interval '1 second'), $10) "
        "ON CONFLICT ON CONSTRAINT alert_rules_name_key DO NOTHING RETURNING id",
        rule.name, rule.query, rule.channels, rule.digest_seconds, rule.secret,
        std::string(rule.per_story ? "story" : "article"), rule.update_every,
        rule.spike_window_seconds, rule.spike_baseline_seconds, rule.spike_min_count);
    if (added.empty())
        return std::nullopt;
    tx.commit();
    return added[0][0].as<std::int64_t>();
}

std::vector<AlertRuleSummary> list_alert_rules(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto rows = tx.exec(R"sql(
SELECT r.name, r.enabled, r.query, r.channels::text, coalesce(r.digest::text, ''),
       coalesce(r.last_error, ''),
       count(d.id) FILTER (WHERE d.status = 'sent'),
       count(d.id) FILTER (WHERE d.status = 'pending'),
       count(d.id) FILTER (WHERE d.status = 'failed'), r.per, r.update_every,
       coalesce((SELECT p.last_error FROM alert_deliveries p
                  WHERE p.rule_id = r.id AND p.status = 'pending' AND p.last_error IS NOT NULL
                  ORDER BY p.id DESC LIMIT 1), ''),
       coalesce(r.spike_window::text, ''), coalesce(r.spike_baseline::text, ''),
       coalesce(r.spike_min_count, 0)
  FROM alert_rules r LEFT JOIN alert_deliveries d ON d.rule_id = r.id
 GROUP BY r.id ORDER BY r.name)sql");
    std::vector<AlertRuleSummary> rules;
    for (const auto& row : rows)
        rules.push_back({row[0].as<std::string>(), row[1].as<bool>(), row[2].as<std::string>(),
                         row[3].as<std::string>(), row[4].as<std::string>(),
                         row[5].as<std::string>(), row[6].as<long long>(), row[7].as<long long>(),
                         row[8].as<long long>(), row[9].as<std::string>(),
                         row[10].is_null() ? std::nullopt : std::optional<int>(row[10].as<int>()),
                         row[11].as<std::string>(), row[12].as<std::string>(),
                         row[13].as<std::string>(), row[14].as<int>()});
    return rules;
}

std::optional<SavedAlertRule> saved_alert_rule(pqxx::connection& connection,
                                               const std::string& name) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(R"sql(
SELECT query, coalesce(extract(epoch FROM spike_window)::bigint, 0),
       coalesce(extract(epoch FROM spike_baseline)::bigint, 0), coalesce(spike_min_count, 0)
  FROM alert_rules WHERE name = $1)sql",
                               name);
    if (rows.empty())
        return std::nullopt;
    return SavedAlertRule{rows[0][0].as<std::string>(),
                          std::chrono::seconds{rows[0][1].as<long long>()},
                          std::chrono::seconds{rows[0][2].as<long long>()}, rows[0][3].as<int>()};
}

bool remove_alert_rule(pqxx::connection& connection, const std::string& name) {
    pqxx::work tx{connection};
    auto removed = tx.exec_params("DELETE FROM alert_rules WHERE name = $1 RETURNING id", name);
    if (removed.empty())
        return false;
    tx.commit();
    return true;
}

bool enable_alert_rule(pqxx::connection& connection, const std::string& name, bool enabled) {
    pqxx::work tx{connection};
    auto changed = tx.exec_params(
        "UPDATE alert_rules SET enabled = $2 WHERE name = $1 RETURNING id", name, enabled);
    if (changed.empty())
        return false;
    tx.commit();
    return true;
}

std::optional<long long> retry_failed_deliveries(pqxx::connection& connection,
                                                 const std::string& name) {
    pqxx::work tx{connection};
    if (!name.empty() && tx.exec_params("SELECT 1 FROM alert_rules WHERE name = $1", name).empty())
        return std::nullopt;
    auto retried = tx.exec_params(
        "UPDATE alert_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now() "
        "  FROM alert_rules r "
        " WHERE r.id = d.rule_id AND d.status = 'failed' AND ($1 = '' OR r.name = $1)",
        name);
    tx.exec0("NOTIFY newsmon_deliveries");
    tx.commit();
    return retried.affected_rows();
}

std::vector<AlertRuleError> check_enabled_alert_rules(
    pqxx::connection& connection,
    const std::function<std::optional<std::string>(const EnabledAlertRule&)>& check) {
    pqxx::work tx{connection};
    auto rows = tx.exec("SELECT id, name, query, channels::text, last_error, "
                        "spike_window IS NOT NULL FROM alert_rules WHERE enabled ORDER BY id");
    std::vector<AlertRuleError> new_errors;
    for (const auto& row : rows) {
        EnabledAlertRule rule{row[0].as<std::int64_t>(), row[1].as<std::string>(),
                              row[2].as<std::string>(), row[3].as<std::string>(),
                              row[5].as<bool>()};
        std::optional<std::string> error = check(rule);
        bool had_error = !row[4].is_null();
        if (!error && !had_error)
            continue;
        auto changed = tx.exec_params("UPDATE alert_rules SET last_error = $2::text WHERE id = $1 "
                                      "AND last_error IS DISTINCT FROM $2::text",
                                      rule.id, error);
        if (error && changed.affected_rows() > 0)
            new_errors.push_back({rule.name, *error});
    }
    tx.commit();
    return new_errors;
}

} // namespace newsmon::store

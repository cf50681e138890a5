#include "store/alert_rules.hpp"

namespace newsmon::store {
namespace {

constexpr int k_test_batch = 500;

std::vector<std::string> split_topics(const std::string& topics) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < topics.size();) {
        std::size_t comma = std::min(topics.find(',', start), topics.size());
        out.push_back(topics.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

RuleTestArticle test_article_of(const pqxx::row& row) {
    return {row[0].as<std::int64_t>(),
            row[1].as<std::string>(),
            row[2].as<std::string>(),
            row[3].as<std::string>(),
            row[4].as<std::string>(),
            row[5].as<std::string>(),
            row[6].as<std::string>(),
            row[7].as<std::string>(),
            split_topics(row[8].as<std::string>())};
}

} // namespace

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

std::optional<std::string> alert_rule_query(pqxx::connection& connection, const std::string& name) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params("SELECT query FROM alert_rules WHERE name = $1", name);
    if (rows.empty())
        return std::nullopt;
    return rows[0][0].as<std::string>();
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

void for_each_recent_article(
    pqxx::connection& connection, std::chrono::milliseconds since,
    const std::function<bool(const std::vector<RuleTestArticle>&)>& visit) {
    pqxx::work tx{connection};
    std::int64_t last_id = 0;
    for (;;) {
        auto rows = tx.exec_params(R"sql(
SELECT a.id, a.title, a.summary, coalesce(a.content_text, ''), f.name, coalesce(a.language, ''),
       coalesce(a.url, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((SELECT string_agg(t.topic, ',') FROM article_topics t WHERE t.article_id = a.id), '')
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.published_at >= now() - $1 * interval '1 millisecond' AND a.id > $2
   AND a.duplicate_of IS NULL
 ORDER BY a.id LIMIT $3)sql",
                                   static_cast<long long>(since.count()), last_id, k_test_batch);
        if (rows.empty())
            return;
        std::vector<RuleTestArticle> batch;
        batch.reserve(rows.size());
        for (const auto& row : rows)
            batch.push_back(test_article_of(row));
        last_id = batch.back().id;
        if (!visit(batch))
            return;
    }
}

} // namespace newsmon::store

// `newsmon alert …`: alert rules from the command line. Everything here is also possible
// with plain SQL on alert_rules as the daemon's role; these commands check the query and
// channels first.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/rule_store.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "tag/article_text.hpp"

namespace newsmon::cli {
namespace {

// The rule as `alert add` would store it, checked before the database is touched.
struct NewRule {
    std::string channels;
    std::optional<long long> digest_seconds;
    std::string secret;
};

// The webhook secret: the first line of --secret-file (or of standard input), else --secret,
// which other users can read in ps while the command runs.
std::optional<std::string> secret_of(const AlertCommand& command) {
    if (command.secret_file.empty()) {
        if (!command.secret.empty())
            fmt::print(stderr, "warning: --secret can be read by other users in ps and stays in "
                               "shell history; use --secret-file FILE or --secret-file -\n");
        return command.secret;
    }
    std::string text;
    if (read_input(command.secret_file, text) != k_exit_ok)
        return std::nullopt;
    std::string secret = text.substr(0, text.find('\n'));
    if (secret.ends_with('\r'))
        secret.pop_back();
    if (secret.empty()) {
        fmt::print(stderr, "error: --secret-file {}: the first line is empty\n",
                   command.secret_file);
        return std::nullopt;
    }
    return secret;
}

std::optional<NewRule> checked_rule(const AlertCommand& command) {
    alerts::Channels channels{command.webhooks, command.emails, command.notify};
    NewRule rule{alerts::channels_json(channels), std::nullopt, {}};
    if (auto compiled = alerts::compile_rule(0, command.name, command.query, rule.channels);
        !compiled) {
        fmt::print(stderr, "error: {}\n", compiled.error());
        return std::nullopt;
    }
    if (!command.digest.empty()) {
        auto digest = alerts::parse_digest(command.digest);
        if (!digest) {
            fmt::print(stderr, "error: --digest: {}\n", digest.error());
            return std::nullopt;
        }
        rule.digest_seconds = digest->count();
    }
    auto secret = secret_of(command);
    if (!secret)
        return std::nullopt;
    rule.secret = std::move(*secret);
    return rule;
}

int add_rule(store::Store& store, const AlertCommand& command, const NewRule& rule) {
    pqxx::work tx{store.connection()};
    auto added = tx.exec_params(
        "INSERT INTO alert_rules (name, query, channels, digest, secret) "
        "VALUES ($1, $2, $3::jsonb, $4 * interval '1 second', NULLIF($5, '')) "
        "ON CONFLICT ON CONSTRAINT alert_rules_name_key DO NOTHING RETURNING id",
        command.name, command.query, rule.channels, rule.digest_seconds, rule.secret);
    if (added.empty()) {
        fmt::print(stderr, "error: a rule named \"{}\" exists already\n", command.name);
        return k_exit_usage;
    }
    tx.commit();
    fmt::print("added rule \"{}\" (id {})\n", command.name, added[0][0].as<long long>());
    return k_exit_ok;
}

int list_rules(store::Store& store, bool json) {
    pqxx::work tx{store.connection()};
    auto rows = tx.exec(R"sql(
SELECT r.name, r.enabled, r.query, r.channels::text, coalesce(r.digest::text, ''),
       coalesce(r.last_error, ''),
       count(d.id) FILTER (WHERE d.status = 'sent'),
       count(d.id) FILTER (WHERE d.status = 'pending'),
       count(d.id) FILTER (WHERE d.status = 'failed')
  FROM alert_rules r LEFT JOIN alert_deliveries d ON d.rule_id = r.id
 GROUP BY r.id ORDER BY r.name)sql");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json rule = {{"name", row[0].as<std::string>()},
                               {"enabled", row[1].as<bool>()},
                               {"query", row[2].as<std::string>()},
                               {"channels", nlohmann::json::parse(row[3].as<std::string>())},
                               {"digest", row[4].is_null() || row[4].as<std::string>().empty()
                                              ? nlohmann::json()
                                              : nlohmann::json(row[4].as<std::string>())},
                               {"last_error", row[5].as<std::string>().empty()
                                                  ? nlohmann::json()
                                                  : nlohmann::json(row[5].as<std::string>())},
                               {"sent", row[6].as<long long>()},
                               {"pending", row[7].as<long long>()},
                               {"failed", row[8].as<long long>()}};
        if (json) {
            list.push_back(std::move(rule));
            continue;
        }
        fmt::print("{}  {}  sent={} pending={} failed={}{}\n    query: {}\n    channels: {}\n",
                   row[0].as<std::string>(), row[1].as<bool>() ? "enabled" : "disabled",
                   row[6].as<long long>(), row[7].as<long long>(), row[8].as<long long>(),
                   row[4].as<std::string>().empty() ? "" : "  digest " + row[4].as<std::string>(),
                   row[2].as<std::string>(), row[3].as<std::string>());
        if (!row[5].as<std::string>().empty())
            fmt::print("    error: {}\n", row[5].as<std::string>());
    }
    if (json)
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return k_exit_ok;
}

int change_rule(store::Store& store, const std::string& action, const std::string& name) {
    pqxx::work tx{store.connection()};
    pqxx::result changed;
    if (action == "rm")
        changed = tx.exec_params("DELETE FROM alert_rules WHERE name = $1 RETURNING id", name);
    else
        changed = tx.exec_params("UPDATE alert_rules SET enabled = $2 WHERE name = $1 RETURNING id",
                                 name, action == "enable");
    if (changed.empty()) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    tx.commit();
    fmt::print("{} rule \"{}\"\n",
               action == "rm"       ? "removed"
               : action == "enable" ? "enabled"
                                    : "disabled",
               name);
    return k_exit_ok;
}

int retry_failed(store::Store& store, const std::string& name) {
    pqxx::work tx{store.connection()};
    if (!name.empty() &&
        tx.exec_params("SELECT 1 FROM alert_rules WHERE name = $1", name).empty()) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    auto retried = tx.exec_params(
        "UPDATE alert_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now() "
        "  FROM alert_rules r "
        " WHERE r.id = d.rule_id AND d.status = 'failed' AND ($1 = '' OR r.name = $1)",
        name);
    tx.exec0("NOTIFY newsmon_deliveries");
    tx.commit();
    fmt::print("{} failed deliveries queued again\n", retried.affected_rows());
    return k_exit_ok;
}

// Runs the query over stored articles, a batch at a time, as the daemon would have.
int test_query(store::Store& store, const AlertCommand& command) {
    auto rule = alerts::compile_rule(0, "test", command.query, R"({"notify": true})");
    if (!rule) {
        fmt::print(stderr, "error: {}\n", rule.error());
        return k_exit_usage;
    }
    auto since = config::parse_duration(command.since);
    if (!since) {
        fmt::print(stderr, "error: --since: {}\n", since.error());
        return k_exit_usage;
    }
    rules::RuleSet rules({std::move(*rule)});
    nlohmann::json found = nlohmann::json::array();
    long long seen = 0, last_id = 0;
    pqxx::work tx{store.connection()};
    while (found.size() < static_cast<std::size_t>(command.limit)) {
        auto rows = tx.exec_params(R"sql(
SELECT a.id, a.title, a.summary, coalesce(a.content_text, ''), f.name, coalesce(a.language, ''),
       coalesce(a.url, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((SELECT string_agg(t.topic, ',') FROM article_topics t WHERE t.article_id = a.id), '')
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.published_at >= now() - $1 * interval '1 millisecond' AND a.id > $2
   AND a.duplicate_of IS NULL
 ORDER BY a.id LIMIT 500)sql",
                                   static_cast<long long>(since->count()), last_id);
        if (rows.empty())
            break;
        for (const auto& row : rows) {
            last_id = row[0].as<long long>();
            ++seen;
            std::string body =
                tag::article_body(row[2].as<std::string>(), row[3].as<std::string>());
            std::string topics = row[8].as<std::string>();
            rules::ArticleFacts facts{row[1].c_str(), body, row[4].c_str(), row[5].c_str(), {}};
            for (std::size_t start = 0; start < topics.size();) {
                std::size_t comma = std::min(topics.find(',', start), topics.size());
                facts.topics.push_back(std::string_view(topics).substr(start, comma - start));
                start = comma + 1;
            }
            auto hits = rules.match(facts);
            if (hits.empty() || found.size() >= static_cast<std::size_t>(command.limit))
                continue;
            found.push_back({{"article_id", row[0].as<long long>()},
                             {"published_at", row[7].as<std::string>()},
                             {"feed", row[4].as<std::string>()},
                             {"title", row[1].as<std::string>()},
                             {"url", row[6].as<std::string>()},
                             {"matched_terms", hits.front().matched_terms}});
        }
    }
    if (command.json) {
        fmt::print("{}\n", found.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    for (const auto& hit : found)
        fmt::print("{}  {}  {}  {}\n    matched: {}\n", hit["published_at"].get<std::string>(),
                   hit["feed"].get<std::string>(), hit["title"].get<std::string>(),
                   hit["url"].get<std::string>(),
                   fmt::join(hit["matched_terms"].get<std::vector<std::string>>(), ", "));
    fmt::print("{} of {} articles matched\n", found.size(), seen);
    return k_exit_ok;
}

} // namespace

int command_alert(const GlobalOptions& options, const AlertCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    // Mistakes in the command itself are reported before the database is touched.
    std::optional<NewRule> rule;
    if (command.action == "add" && !(rule = checked_rule(command)))
        return k_exit_usage;
    if (command.action == "test") {
        if (auto parsed = rules::parse_query(command.query); !parsed) {
            fmt::print(stderr, "error: {}\n", parsed.error().to_string());
            return k_exit_usage;
        }
    }
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    if (command.action == "add")
        return add_rule(*store, command, *rule);
    if (command.action == "list")
        return list_rules(*store, command.json);
    if (command.action == "test")
        return test_query(*store, command);
    if (command.action == "retry")
        return retry_failed(*store, command.name);
    return change_rule(*store, command.action, command.name);
}

} // namespace newsmon::cli

// `newsmon alert …`: alert rules from the command line. Everything here is also possible
// with plain SQL on alert_rules as the daemon's role; these commands check the query and
// channels first.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/rule_store.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "store/alert_rules.hpp"
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
    if (command.updates > 0 && command.per != "story") {
        fmt::print(stderr, "error: --updates needs --per story\n");
        return std::nullopt;
    }
    auto secret = secret_of(command);
    if (!secret)
        return std::nullopt;
    rule.secret = std::move(*secret);
    return rule;
}

int add_rule(store::Store& store, const AlertCommand& command, const NewRule& rule) {
    auto id = store::add_alert_rule(
        store.connection(),
        {command.name, command.query, rule.channels, rule.digest_seconds, rule.secret,
         command.per == "story",
         command.updates > 0 ? std::optional<int>(command.updates) : std::nullopt});
    if (!id) {
        fmt::print(stderr, "error: a rule named \"{}\" exists already\n", command.name);
        return k_exit_usage;
    }
    fmt::print("added rule \"{}\" (id {})\n", command.name, static_cast<long long>(*id));
    return k_exit_ok;
}

nlohmann::json null_if_empty(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

int list_rules(store::Store& store, bool json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : store::list_alert_rules(store.connection())) {
        if (json) {
            list.push_back({{"name", rule.name},
                            {"enabled", rule.enabled},
                            {"query", rule.query},
                            {"channels", nlohmann::json::parse(rule.channels)},
                            {"digest", null_if_empty(rule.digest)},
                            {"per", rule.per},
                            {"updates", rule.update_every ? nlohmann::json(*rule.update_every)
                                                          : nlohmann::json()},
                            {"last_error", null_if_empty(rule.last_error)},
                            {"sent", rule.sent},
                            {"pending", rule.pending},
                            {"failed", rule.failed}});
            continue;
        }
        fmt::print("{}  {}  sent={} pending={} failed={}{}\n    query: {}\n    channels: {}\n",
                   rule.name, rule.enabled ? "enabled" : "disabled", rule.sent, rule.pending,
                   rule.failed,
                   (rule.digest.empty() ? "" : "  digest " + rule.digest) +
                       (rule.per == "story" ? "  per story" : "") +
                       (rule.update_every ? " +" + std::to_string(*rule.update_every) : ""),
                   rule.query, rule.channels);
        if (!rule.last_error.empty())
            fmt::print("    error: {}\n", rule.last_error);
    }
    if (json)
        fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return k_exit_ok;
}

int change_rule(store::Store& store, const std::string& action, const std::string& name) {
    bool changed = action == "rm"
                       ? store::remove_alert_rule(store.connection(), name)
                       : store::enable_alert_rule(store.connection(), name, action == "enable");
    if (!changed) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    fmt::print("{} rule \"{}\"\n",
               action == "rm"       ? "removed"
               : action == "enable" ? "enabled"
                                    : "disabled",
               name);
    return k_exit_ok;
}

int retry_failed(store::Store& store, const std::string& name) {
    auto retried = store::retry_failed_deliveries(store.connection(), name);
    if (!retried) {
        fmt::print(stderr, "error: no rule named \"{}\"\n", name);
        return k_exit_usage;
    }
    fmt::print("{} failed deliveries queued again\n", *retried);
    return k_exit_ok;
}

// The rule's first hit on `article`, as `alert test` prints it; null when it does not match.
nlohmann::json test_hit(const rules::RuleSet& rules, const store::RuleTestArticle& article) {
    std::string body = tag::article_body(article.summary, article.content_text);
    rules::ArticleFacts facts{article.title, body, article.feed, article.language, {}};
    facts.topics.assign(article.topics.begin(), article.topics.end());
    auto hits = rules.match(facts);
    if (hits.empty())
        return nullptr;
    return {{"article_id", static_cast<long long>(article.id)},
            {"published_at", article.published_at},
            {"feed", article.feed},
            {"title", article.title},
            {"url", article.url},
            {"matched_terms", hits.front().matched_terms}};
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
    long long seen = 0;
    auto limit = static_cast<std::size_t>(std::max(command.limit, 0));
    auto visit = [&](const std::vector<store::RuleTestArticle>& batch) {
        for (const auto& article : batch) {
            ++seen;
            if (found.size() >= limit)
                continue;
            if (auto hit = test_hit(rules, article); !hit.is_null())
                found.push_back(std::move(hit));
        }
        return found.size() < limit;
    };
    if (limit > 0)
        store::for_each_recent_article(
            store.connection(), std::chrono::duration_cast<std::chrono::milliseconds>(*since),
            visit);
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
    if (command.action == "add" || command.action == "test")
        print_query_warnings(command.query);
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

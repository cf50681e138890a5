#include "alerts/rule_store.hpp"

#include <nlohmann/json.hpp>

#include "base/log.hpp"
#include "config/units.hpp"
#include "store/alert_rules.hpp"

namespace newsmon::alerts {
namespace {

// A webhook or address taken from the table: one string, or an array of strings.
tl::expected<std::vector<std::string>, std::string> strings_of(const nlohmann::json& value,
                                                               const char* key) {
    std::vector<std::string> out;
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
        return out;
    }
    if (!value.is_array())
        return tl::unexpected(std::string("channels.") + key +
                              " must be a string or an array of strings");
    for (const auto& element : value) {
        if (!element.is_string())
            return tl::unexpected(std::string("channels.") + key +
                                  " must be a string or an array of strings");
        out.push_back(element.get<std::string>());
    }
    return out;
}

// A webhook as a message may show it: scheme and host, without a user, password or path (a
// chat webhook's path is its secret, and a rule's last_error is read by the web API).
std::string shown_webhook(const std::string& url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos)
        return "\u2026";
    auto host_begin = scheme_end + 3;
    auto path = url.find_first_of("/?#", host_begin);
    std::string authority =
        url.substr(host_begin, path == std::string::npos ? path : path - host_begin);
    if (auto at = authority.rfind('@'); at != std::string::npos)
        authority = "\u2026@" + authority.substr(at + 1);
    std::string rest = path == std::string::npos ? "" : url.substr(path);
    return url.substr(0, host_begin) + authority + (rest.size() > 1 ? "/\u2026" : rest);
}

std::optional<std::string> bad_webhook(const std::string& url) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        return "webhook \"" + shown_webhook(url) + "\" is not an http:// or https:// URL";
    if (url.find_first_of(" \t\r\n") != std::string::npos)
        return "webhook \"" + shown_webhook(url) + "\" contains white space";
    return std::nullopt;
}

// The address goes into mail headers: nothing that could end or extend one.
std::optional<std::string> bad_address(const std::string& address) {
    auto at = address.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == address.size() ||
        address.find_first_of(" \t\r\n<>,;\"") != std::string::npos)
        return "\"" + address + "\" is not an e-mail address";
    return std::nullopt;
}

} // namespace

tl::expected<Channels, std::string> parse_channels(std::string_view json) {
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return tl::unexpected(std::string("channels must be a JSON object"));
    Channels channels;
    for (const auto& [key, value] : parsed.items()) {
        if (key == "webhook") {
            auto urls = strings_of(value, "webhook");
            if (!urls)
                return tl::unexpected(urls.error());
            channels.webhooks = std::move(*urls);
        } else if (key == "email") {
            auto addresses = strings_of(value, "email");
            if (!addresses)
                return tl::unexpected(addresses.error());
            channels.emails = std::move(*addresses);
        } else if (key == "notify") {
            if (!value.is_boolean())
                return tl::unexpected(std::string("channels.notify must be true or false"));
            channels.notify = value.get<bool>();
        } else {
            return tl::unexpected("unknown channel \"" + key + "\" (webhook, email, notify)");
        }
    }
    for (const auto& url : channels.webhooks)
        if (auto problem = bad_webhook(url))
            return tl::unexpected(*problem);
    for (const auto& address : channels.emails)
        if (auto problem = bad_address(address))
            return tl::unexpected(*problem);
    if (channels.empty())
        return tl::unexpected(std::string("no channel: give a webhook, an email or notify"));
    return channels;
}

std::string channels_json(const Channels& channels) {
    nlohmann::json json = nlohmann::json::object();
    if (!channels.webhooks.empty())
        json["webhook"] = channels.webhooks;
    if (!channels.emails.empty())
        json["email"] = channels.emails;
    if (channels.notify)
        json["notify"] = true;
    return json.dump();
}

tl::expected<std::chrono::seconds, std::string> parse_digest(std::string_view text) {
    auto duration = config::parse_duration(text);
    if (!duration)
        return tl::unexpected(duration.error());
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*duration);
    if (seconds.count() < 1)
        return tl::unexpected(std::string("a digest period is one second or longer"));
    // A year at most: a digest is a summary to read, and PostgreSQL's interval must hold it.
    if (seconds > std::chrono::days{366})
        return tl::unexpected(std::string("a digest period is a year or shorter"));
    return seconds;
}

tl::expected<rules::CompiledRule, std::string> compile_rule(std::int64_t id,
                                                            const std::string& name,
                                                            std::string_view query,
                                                            std::string_view channels) {
    auto parsed = rules::parse_query(query);
    if (!parsed)
        return tl::unexpected(parsed.error().to_string());
    if (auto checked = parse_channels(channels); !checked)
        return tl::unexpected(checked.error());
    return rules::CompiledRule{id, name, std::move(*parsed), false};
}

LoadedRules load_rules(pqxx::connection& connection) {
    std::vector<rules::CompiledRule> compiled;
    LoadedRules loaded;
    auto check = [&](const store::EnabledAlertRule& stored) -> std::optional<std::string> {
        ++loaded.enabled;
        auto rule = compile_rule(stored.id, stored.name, stored.query, stored.channels);
        if (rule) {
            rule->spike = stored.spike;
            compiled.push_back(std::move(*rule));
            return std::nullopt;
        }
        ++loaded.invalid;
        return rule.error();
    };
    // Logged on change only, so a re-read makes no noise.
    for (const auto& problem : store::check_enabled_alert_rules(connection, check))
        log::warn("alert rule not usable",
                  {log::field("rule", problem.name), log::field("error", problem.error)});
    loaded.rules = std::make_shared<const rules::RuleSet>(std::move(compiled));
    return loaded;
}

} // namespace newsmon::alerts

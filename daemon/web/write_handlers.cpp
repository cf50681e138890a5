#include "web/write_handlers.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "alerts/new_rule.hpp"
#include "base/log.hpp"
#include "store/alert_rules.hpp"
#include "store/web_alerts.hpp"
#include "store/web_connection.hpp"
#include "web/answer_request.hpp"
#include "web/api_handlers.hpp"
#include "web/bearer_token.hpp"
#include "web/json_reply.hpp"
#include "web/request_params.hpp"

namespace newsmon::web {
namespace {

constexpr const char* k_no_token =
    "this server takes no writes: they need a bearer token, from [web] token_file or the "
    "credential web-token (see the README, \"Web API\"), sent as Authorization: Bearer TOKEN";

// A write this server will not do, with the status that says why.
struct WriteRefused {
    int status;
    std::string message;
    std::string parameter;
};

// The one connection writes go through, opened as [web] write_role when first needed: writes
// are rare, and a login that may not take the role must not stop the reads.
class RuleWriter {
public:
    RuleWriter(std::string url, std::string role)
        : m_url(std::move(url)), m_role(std::move(role)) {}

    // Runs `write` on the connection, one write at a time. Throws WriteRefused when the role
    // cannot be taken; database errors propagate, and a broken connection is opened anew next.
    nlohmann::json run(const std::function<nlohmann::json(pqxx::connection&)>& write) {
        std::lock_guard lock(m_mutex);
        if (!m_connection) {
            auto opened = store::open_web_writer_connection(m_url, m_role);
            if (!opened) {
                log::warn("web write refused: no write role",
                          {log::field("error", opened.error())});
                throw WriteRefused{403, "this server takes no writes: " + opened.error(), ""};
            }
            m_connection = std::move(*opened);
        }
        try {
            return write(*m_connection);
        } catch (const pqxx::broken_connection&) {
            m_connection.reset();
            throw;
        }
    }

private:
    std::string m_url;
    std::string m_role;
    std::mutex m_mutex;
    std::unique_ptr<pqxx::connection> m_connection;
};

// One write: the request in, the status and the rule as GET /api/v1/alerts shows it out.
struct WriteReply {
    int status;
    nlohmann::json body;
};
using WriteEndpoint =
    std::function<WriteReply(RuleWriter&, const httplib::Request&, const std::string& name)>;

nlohmann::json rule_as_listed(pqxx::connection& connection, const std::string& name) {
    auto rule = store::web_alert_rule(connection, name);
    if (!rule)
        throw NotFound{"no alert rule named \"" + name + "\"", "name"};
    return std::move(*rule);
}

// The body as a JSON object, nesting bounded (a rule's fields are at most two deep).
nlohmann::json json_body(const httplib::Request& request) {
    bool too_deep = false;
    auto body = nlohmann::json::parse(
        request.body,
        [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            too_deep = too_deep || depth > 3;
            return !too_deep;
        },
        false);
    if (too_deep)
        throw ParamError{"the body nests too deeply", "body"};
    if (body.is_discarded() || !body.is_object())
        throw ParamError{"the body is not a JSON object", "body"};
    return body;
}

std::string string_field(const nlohmann::json& body, const char* name, bool required) {
    if (!body.contains(name)) {
        if (required)
            throw ParamError{"missing", name};
        return "";
    }
    if (!body[name].is_string())
        throw ParamError{"expected a string", name};
    return body[name].get<std::string>();
}

// The rule the body describes, in the fields `newsmon alert add` takes, before its checks.
alerts::RuleDraft draft_of(const nlohmann::json& body) {
    static const std::vector<std::string> k_fields = {"name", "query",   "channels", "digest",
                                                      "per",  "updates", "secret"};
    for (const auto& [key, value] : body.items())
        if (std::find(k_fields.begin(), k_fields.end(), key) == k_fields.end())
            throw ParamError{"unknown field", key};
    alerts::RuleDraft draft;
    draft.name = string_field(body, "name", true);
    draft.query = string_field(body, "query", true);
    if (!body.contains("channels"))
        throw ParamError{"missing", "channels"};
    if (!body["channels"].is_object())
        throw ParamError{"expected an object such as {\"webhook\": [\"https://…\"], \"email\": "
                         "[\"desk@example.org\"], \"notify\": true}",
                         "channels"};
    draft.channels = body["channels"].dump();
    draft.digest = string_field(body, "digest", false);
    if (body.contains("per"))
        draft.per = string_field(body, "per", true);
    if (body.contains("updates")) {
        if (!body["updates"].is_number_integer())
            throw ParamError{"expected a whole number", "updates"};
        auto updates = body["updates"].get<long long>();
        draft.updates =
            updates < 1 || updates > alerts::k_max_updates ? -1 : static_cast<int>(updates);
    }
    draft.secret = string_field(body, "secret", false);
    if (body.contains("secret") && draft.secret.empty())
        throw ParamError{"an empty secret signs nothing; leave the field out", "secret"};
    return draft;
}

WriteReply add_rule(RuleWriter& writer, const httplib::Request& request) {
    auto draft = draft_of(json_body(request));
    // The name is a path segment of the other endpoints.
    if (draft.name.find('/') != std::string::npos)
        throw ParamError{"a rule's name holds no /", "name"};
    auto rule = alerts::check_rule(draft);
    if (!rule)
        throw ParamError{rule.error().message, rule.error().field};
    auto body = writer.run([&](pqxx::connection& connection) {
        if (!store::add_alert_rule(connection, *rule))
            throw WriteRefused{409, "a rule named \"" + rule->name + "\" exists already", "name"};
        return rule_as_listed(connection, rule->name);
    });
    log::info("web alert rule added",
              {log::field("rule", rule->name), log::field("client", request.remote_addr)});
    return {201, std::move(body)};
}

WriteEndpoint switch_rule(bool enabled) {
    return [enabled](RuleWriter& writer, const httplib::Request& request,
                     const std::string& name) -> WriteReply {
        if (!request.body.empty())
            throw ParamError{"this endpoint takes no body", "body"};
        auto body = writer.run([&](pqxx::connection& connection) {
            if (!store::enable_alert_rule(connection, name, enabled))
                throw NotFound{"no alert rule named \"" + name + "\"", "name"};
            return rule_as_listed(connection, name);
        });
        log::info(enabled ? "web alert rule enabled" : "web alert rule disabled",
                  {log::field("rule", name), log::field("client", request.remote_addr)});
        return {200, std::move(body)};
    };
}

// A Content-Type of application/json, in any case, with or without parameters.
bool is_json(std::string_view content_type) {
    auto media_type = content_type.substr(0, content_type.find(';'));
    while (!media_type.empty() && (media_type.back() == ' ' || media_type.back() == '\t'))
        media_type.remove_suffix(1);
    constexpr std::string_view k_json = "application/json";
    return media_type.size() == k_json.size() &&
           std::equal(media_type.begin(), media_type.end(), k_json.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

// The token first, whatever the request holds; then the endpoint, its failures as answers.
void answer_write(const std::optional<std::string>& token, RuleWriter& writer,
                  const WriteEndpoint& endpoint, const httplib::Request& request,
                  httplib::Response& response) {
    if (!token) {
        reply_error(request, response, 403, k_no_token);
        return;
    }
    if (!bearer_matches(request, *token)) {
        response.set_header("WWW-Authenticate", "Bearer");
        reply_error(request, response, 401, "writes need the bearer token", "Authorization");
        return;
    }
    answer(request, json_error_reply(request, response), [&] {
        try {
            // Before the parameters: httplib reads a form's body as parameters. JSON even
            // with no body: a page on another site can make a browser POST a form or plain
            // text here unasked, never JSON, so a proxy that adds the token for its users
            // does not hand writes to every site they visit.
            if (!is_json(request.get_header_value("Content-Type")))
                throw WriteRefused{415,
                                   "send the request as JSON, with Content-Type: "
                                   "application/json (and no body to enable or disable)",
                                   "Content-Type"};
            auto site = request.get_header_value("Sec-Fetch-Site");
            if (!site.empty() && site != "same-origin" && site != "none")
                throw WriteRefused{403, "a write from another site's page is refused",
                                   "Sec-Fetch-Site"};
            RequestParams params(request.params, {});
            auto name = request.matches.size() > 1 ? request.matches[1].str() : std::string();
            auto reply = endpoint(writer, request, name);
            reply_json(request, response, reply.status, reply.body);
        } catch (const WriteRefused& refused) {
            reply_error(request, response, refused.status, refused.message, refused.parameter);
        } catch (const pqxx::insufficient_privilege& error) {
            log::error("web write refused by the database", {log::field("error", error.what())});
            reply_error(request, response, 403,
                        "the database refused the write: [web] write_role may not write alert "
                        "rules");
        }
    });
}

} // namespace

void add_write_routes(httplib::Server& server, const config::Config& config,
                      const std::optional<std::string>& token) {
    const std::string& url =
        config.web.database_url.empty() ? config.database.url : config.web.database_url;
    auto shared = std::make_shared<RuleWriter>(url, config.web.write_role);
    auto route = [&server, &token, shared](const std::string& pattern, WriteEndpoint endpoint) {
        server.Post(pattern, [&token, shared, endpoint = std::move(endpoint)](
                                 const httplib::Request& request, httplib::Response& response) {
            answer_write(token, *shared, endpoint, request, response);
        });
    };
    route(R"(/api/v1/alerts)", [](RuleWriter& writer, const httplib::Request& request,
                                  const std::string&) { return add_rule(writer, request); });
    route(R"(/api/v1/alerts/([^/]+)/enable)", switch_rule(true));
    route(R"(/api/v1/alerts/([^/]+)/disable)", switch_rule(false));
}

} // namespace newsmon::web

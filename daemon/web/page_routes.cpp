#include "web/page_routes.hpp"

#include <chrono>
#include <functional>
#include <memory>

#include <httplib.h>

#include "newsmon/parsers/dates.hpp"
#include "store/web_alerts.hpp"
#include "store/web_articles.hpp"
#include "store/web_counts.hpp"
#include "store/web_dashboard.hpp"
#include "store/web_feeds.hpp"
#include "store/web_stories.hpp"
#include "web/answer_request.hpp"
#include "web/api_handlers.hpp"
#include "web/article_pages.hpp"
#include "web/connection_pool.hpp"
#include "web/cursor.hpp"
#include "web/dashboard_page.hpp"
#include "web/html_page.hpp"
#include "web/json_reply.hpp"
#include "web/search_page.hpp"
#include "web/shared_page.hpp"
#include "web/stylesheet.hpp"

namespace newsmon::web {
namespace {

using std::chrono::hours;
using std::chrono::sys_seconds;

constexpr int k_top_stories = 10;
constexpr int k_latest_articles = 15;

// A page's body from a database connection and the request; throws ParamError (400), NotFound
// (404); database errors propagate.
using PageBuilder =
    std::function<std::string(pqxx::connection&, const httplib::Request&, std::string& title)>;

sys_seconds now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::vector<ChartPoint> topic_points(pqxx::connection& connection, const std::string& topic,
                                     bool hourly, sys_seconds since) {
    store::TopicCountQuery query{topic, hourly, parsers::format_rfc3339(since)};
    return chart_points(store::web_topic_counts(connection, query));
}

std::string dashboard(const config::Config& config, pqxx::connection& connection) {
    DashboardData data;
    auto today = std::chrono::floor<std::chrono::days>(now());
    for (const auto& topic : config.topics)
        data.volumes.push_back(
            {topic.name, topic_points(connection, topic.name, false, today - std::chrono::days{29}),
             topic_points(connection, topic.name, true,
                          std::chrono::floor<hours>(now()) - hours{7 * 24 - 1})});
    data.top_stories = store::web_top_stories(connection, k_top_stories);
    data.latest = store::web_latest_tagged(connection, k_latest_articles);
    data.spikes = store::web_spike_states(connection);
    data.feeds = store::web_feeds(connection);
    data.alerts = store::web_alert_rules(connection);
    return render_dashboard(data);
}

std::vector<std::string> names_of(const auto& configured) {
    std::vector<std::string> names;
    for (const auto& entry : configured)
        names.push_back(entry.name);
    return names;
}

std::string search(const config::Config& config, pqxx::connection& connection,
                   const httplib::Request& request) {
    // An empty form field means "any": drop it before the strict parameter reading.
    QueryParams given;
    for (const auto& [name, value] : request.params)
        if (!value.empty())
            given.emplace(name, value);
    SearchForm form;
    form.topics = names_of(config.topics);
    form.feeds = names_of(config.feeds);
    auto value_of = [&](const std::string& name) {
        auto found = given.find(name);
        return found == given.end() ? std::string() : found->second.substr(0, 500);
    };
    form.query = value_of("q");
    form.topic = value_of("topic");
    form.feed = value_of("feed");
    form.language = value_of("lang");
    form.since = value_of("since");
    if (given.empty())
        return render_search(form, std::nullopt, "", "");
    try {
        RequestParams params(given, article_search_params());
        auto page = search_articles(config, connection, params);
        return render_search(form, page, page.next ? encode_cursor(*page.next) : "", "");
    } catch (const ParamError& error) {
        return render_search(form, std::nullopt, "",
                             (error.parameter.empty() ? "" : error.parameter + ": ") +
                                 error.message);
    }
}

std::string article(pqxx::connection& connection, const httplib::Request& request,
                    std::string& title) {
    RequestParams params(request.params, {});
    auto found = store::web_article(connection, path_id(request.matches[1], "id"));
    if (!found)
        throw NotFound{"no article with id " + std::string(request.matches[1]), "id"};
    title = json_text((*found)["title"]);
    return render_article(*found);
}

std::string story(pqxx::connection& connection, const httplib::Request& request,
                  std::string& title) {
    RequestParams params(request.params, {});
    auto found = store::web_story(connection, path_id(request.matches[1], "id"));
    if (!found)
        throw NotFound{"no story with id " + std::string(request.matches[1]), "id"};
    title = json_text((*found)["title"]);
    return render_story(*found);
}

void serve_page(ConnectionPool& pool, const PageBuilder& build, const httplib::Request& request,
                httplib::Response& response) {
    auto errors = [&](int status, const std::string& message, const std::string& parameter) {
        reply_html_error(request, response, status,
                         parameter.empty() || status != 400 ? message : parameter + ": " + message);
    };
    answer_with_connection(pool, request, errors, [&](pqxx::connection& connection) {
        std::string title;
        auto main = build(connection, request, title);
        std::string query;
        if (request.path == "/search" && request.has_param("q"))
            query = request.get_param_value("q");
        reply_html(request, response, 200, html_document(title, main, query));
    });
}

} // namespace

void add_page_routes(httplib::Server& server, const config::Config& config, ConnectionPool& pool) {
    const config::Config* cfg = &config;
    ConnectionPool* connections = &pool;
    auto page = [connections](PageBuilder build) {
        return [connections, build = std::move(build)](const httplib::Request& request,
                                                       httplib::Response& response) {
            serve_page(*connections, build, request, response);
        };
    };
    auto shared_dashboard = std::make_shared<SharedPage>(config.web.dashboard_cache);
    server.Get("/",
               page([cfg, shared_dashboard](pqxx::connection& connection,
                                            const httplib::Request& request, std::string& title) {
                   RequestParams params(request.params, {});
                   title = "Dashboard";
                   return shared_dashboard->get([&] { return dashboard(*cfg, connection); });
               }));
    server.Get("/search", page([cfg](pqxx::connection& connection, const httplib::Request& request,
                                     std::string& title) {
                   title = "Search";
                   return search(*cfg, connection, request);
               }));
    server.Get(R"(/articles/([^/]+))", page(article));
    server.Get(R"(/stories/([^/]+))", page(story));
    server.Get("/static/newsmon.css",
               [](const httplib::Request& request, httplib::Response& response) {
                   response.set_header("Cache-Control", "max-age=3600");
                   reply_body(request, response, 200, std::string(dashboard_stylesheet()),
                              "text/css; charset=utf-8");
               });
}

} // namespace newsmon::web

#include "web/api_handlers.hpp"

#include <algorithm>

#include "newsmon/parsers/dates.hpp"
#include "store/stored_matches.hpp"
#include "store/web_alerts.hpp"
#include "store/web_articles.hpp"
#include "store/web_counts.hpp"
#include "store/web_feeds.hpp"
#include "store/web_stories.hpp"
#include "web/article_search.hpp"
#include "web/cursor.hpp"
#include "web/openapi.hpp"
#include "web/request_bounds.hpp"

namespace newsmon::web {
namespace {

// A topic parameter must name a configured topic.
std::optional<std::string> topic_param(const config::Config& config, const RequestParams& params) {
    auto topic = params.text("topic", k_max_name_length);
    if (topic && !has_name(config.topics, *topic))
        throw ParamError{"no topic named \"" + *topic + "\" in the config", "topic"};
    return topic;
}

nlohmann::json page_json(store::WebPage page) {
    return {{"items", std::move(page.items)},
            {"next_cursor",
             page.next ? nlohmann::json(encode_cursor(*page.next)) : nlohmann::json(nullptr)}};
}

nlohmann::json article_summary(const store::StoredMatch& match) {
    const auto& article = match.article;
    return {{"id", article.id},
            {"title", article.title},
            {"url", article.url},
            {"feed", article.feed},
            {"language", article.language},
            {"published_at", article.published_at},
            {"topics", article.topics},
            {"story_id", article.story_id},
            {"matched_terms", match.matched_terms}};
}

nlohmann::json list_articles(const config::Config& config, pqxx::connection& connection,
                             const RequestParams& params) {
    auto page = search_articles(config, connection, params);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& match : page.matches)
        items.push_back(article_summary(match));
    return page_json({std::move(items), page.next});
}

nlohmann::json list_stories(const config::Config& config, pqxx::connection& connection,
                            const RequestParams& params) {
    store::StoryPageQuery query;
    query.since = parsers::format_rfc3339(
        params.time("since", now_seconds()).value_or(now_seconds() - std::chrono::hours{24}));
    query.topic = topic_param(config, params);
    query.after = params.cursor();
    if (query.after && query.after->sort.empty())
        throw ParamError{"not a cursor of this list", "cursor"};
    query.limit = params.number("limit", 1, k_max_page_limit, 20);
    return page_json(store::web_stories(connection, query));
}

nlohmann::json topic_counts(const config::Config& config, pqxx::connection& connection,
                            const std::string& topic, const RequestParams& params) {
    if (!has_name(config.topics, topic))
        throw NotFound{"no topic named \"" + topic + "\" in the config", "topic"};
    store::TopicCountQuery query{topic, params.choice("interval", {"hour", "day"}, "day") == "hour",
                                 ""};
    // At most a month of hours or a year of days, so an answer stays small.
    auto longest = query.hourly ? std::chrono::hours{24 * 31} : std::chrono::hours{24 * 366};
    auto since = params.time("since", now_seconds())
                     .value_or(now_seconds() - (query.hourly ? std::chrono::hours{48}
                                                             : std::chrono::hours{24 * 30}));
    if (since < now_seconds() - longest)
        throw ParamError{query.hourly ? "at most 31 days back with interval=hour"
                                      : "at most 366 days back with interval=day",
                         "since"};
    query.since = parsers::format_rfc3339(since);
    return {{"topic", topic},
            {"interval", query.hourly ? "hour" : "day"},
            {"since", query.since},
            {"buckets", store::web_topic_counts(connection, query)}};
}

nlohmann::json alert_deliveries(pqxx::connection& connection, const std::string& rule,
                                const RequestParams& params) {
    store::DeliveryPageQuery query{rule, params.cursor(),
                                   params.number("limit", 1, k_max_page_limit, 50)};
    auto page = store::web_alert_deliveries(connection, query);
    if (!page)
        throw NotFound{"no alert rule named \"" + rule + "\"", "name"};
    return page_json(std::move(*page));
}

} // namespace

std::vector<Route> api_routes(const config::Config& config) {
    using Captures = std::vector<std::string>;
    const config::Config* cfg = &config;
    return {
        {R"(/api/v1/openapi\.json)",
         [](pqxx::connection&, const Captures&, const QueryParams& query) {
             RequestParams params(query, {});
             return openapi_document();
         }},
        {R"(/api/v1/articles)",
         [cfg](pqxx::connection& connection, const Captures&, const QueryParams& query) {
             RequestParams params(query, article_search_params());
             return list_articles(*cfg, connection, params);
         }},
        {R"(/api/v1/articles/([^/]+))",
         [](pqxx::connection& connection, const Captures& path, const QueryParams& query) {
             RequestParams params(query, {});
             auto article = store::web_article(connection, path_id(path[0], "id"));
             if (!article)
                 throw NotFound{"no article with id " + path[0], "id"};
             return std::move(*article);
         }},
        {R"(/api/v1/stories)",
         [cfg](pqxx::connection& connection, const Captures&, const QueryParams& query) {
             RequestParams params(query, {"since", "topic", "cursor", "limit"});
             return list_stories(*cfg, connection, params);
         }},
        {R"(/api/v1/stories/([^/]+))",
         [](pqxx::connection& connection, const Captures& path, const QueryParams& query) {
             RequestParams params(query, {});
             auto story = store::web_story(connection, path_id(path[0], "id"));
             if (!story)
                 throw NotFound{"no story with id " + path[0], "id"};
             return std::move(*story);
         }},
        {R"(/api/v1/topics/([^/]+)/counts)",
         [cfg](pqxx::connection& connection, const Captures& path, const QueryParams& query) {
             RequestParams params(query, {"interval", "since"});
             return topic_counts(*cfg, connection, path[0], params);
         }},
        {R"(/api/v1/feeds)",
         [](pqxx::connection& connection, const Captures&, const QueryParams& query) {
             RequestParams params(query, {});
             return nlohmann::json{{"items", store::web_feeds(connection)}};
         }},
        {R"(/api/v1/alerts)",
         [](pqxx::connection& connection, const Captures&, const QueryParams& query) {
             RequestParams params(query, {});
             return nlohmann::json{{"items", store::web_alert_rules(connection)}};
         }},
        {R"(/api/v1/alerts/([^/]+)/deliveries)",
         [](pqxx::connection& connection, const Captures& path, const QueryParams& query) {
             RequestParams params(query, {"cursor", "limit"});
             return alert_deliveries(connection, path[0], params);
         }},
    };
}

} // namespace newsmon::web

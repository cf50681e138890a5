#include "web/atom_feeds.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <functional>

#include <httplib.h>

#include "newsmon/parsers/url.hpp"
#include "store/stored_matches.hpp"
#include "store/web_atom.hpp"
#include "web/answer_request.hpp"
#include "web/api_handlers.hpp"
#include "web/atom_writer.hpp"
#include "web/connection_pool.hpp"
#include "web/json_reply.hpp"
#include "web/request_bounds.hpp"
#include "web/request_params.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

constexpr int k_max_entries = 200;
constexpr int k_default_limit = 50;
constexpr std::string_view k_content_type = "application/atom+xml; charset=utf-8";
// The tagging entity of every id: the name and the year the scheme was chosen (RFC 4151).
constexpr std::string_view k_tag = "tag:newsmon,2025:";

// What one feed is: its title, and the articles' ids, newest first.
struct Selection {
    std::string title;
    std::vector<std::int64_t> ids;
};

using FeedEndpoint =
    std::function<Selection(pqxx::connection&, const std::string& capture, const RequestParams&)>;

// The path, and the query sorted by name: the document's address, whatever order or encoding
// the request used. `skip` leaves a parameter out (limit, from the id).
std::string address(const std::string& path, const QueryParams& query, std::string_view skip) {
    std::string out = path;
    char separator = '?';
    for (const auto& [name, value] : query) {
        if (name == skip)
            continue;
        out += separator + percent_encoded(name) + "=" + percent_encoded(value);
        separator = '&';
    }
    return out;
}

// An article's id: the feed it came from and its guid there, hashed, so that it stays the same
// in every feed it appears in, after a restore, and in another database that polls the feed.
std::string entry_id(const store::AtomArticle& article) {
    std::string source = article.feed_url + "\n" + article.guid;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(source.data(), source.size(), digest.data(), &length, EVP_sha256(), nullptr);
    constexpr std::string_view k_hex = "0123456789abcdef";
    std::string id(k_tag);
    id += "article:";
    for (unsigned int i = 0; i < length && i < 16; ++i) {
        id += k_hex[digest[i] >> 4];
        id += k_hex[digest[i] & 0x0F];
    }
    return id;
}

AtomEntry entry_of(store::AtomArticle&& article) {
    AtomEntry entry;
    entry.id = entry_id(article);
    entry.title = std::move(article.title);
    // An alternate link is required: the API's view of the article when it has no web link
    // (none, or one a row written by other means made javascript: or data:).
    if (article.url.empty() || !parsers::is_web_link(article.url)) {
        entry.link = "/api/v1/articles/" + std::to_string(article.id);
        entry.link_type = "application/json";
    } else {
        entry.link = std::move(article.url);
    }
    entry.author = std::move(article.author);
    entry.summary = std::move(article.summary);
    entry.published = std::move(article.published);
    entry.updated = std::move(article.updated);
    entry.categories = std::move(article.topics);
    return entry;
}

int limit_of(const RequestParams& params) {
    return params.number("limit", 1, k_max_entries, k_default_limit);
}

// The newest articles of a search, as `articles?q=` finds them.
std::vector<std::int64_t> matching_ids(pqxx::connection& connection, const store::MatchPlan& plan,
                                       int limit) {
    std::vector<std::int64_t> ids;
    store::for_each_match(connection, plan, [&](store::StoredMatch&& match) {
        ids.push_back(match.article.id);
        return ids.size() < static_cast<std::size_t>(limit);
    });
    return ids;
}

Selection search_feed(const config::Config& config, pqxx::connection& connection,
                      const RequestParams& params) {
    auto query = params.text("q", k_max_query_length).value_or("");
    if (query.empty())
        throw ParamError{"required: the query to follow", "q"};
    auto topic = params.text("topic", k_max_name_length);
    if (topic && !has_name(config.topics, *topic))
        throw ParamError{"no topic named \"" + *topic + "\" in the config", "topic"};
    auto plan = store::plan_matches(config, query, topic.value_or(""), std::nullopt);
    if (!plan)
        throw ParamError{plan.error(), "q"};
    plan->filter.feed = params.text("feed", k_max_name_length);
    if (plan->filter.feed && !has_name(config.feeds, *plan->filter.feed))
        throw ParamError{"no feed named \"" + *plan->filter.feed + "\" in the config", "feed"};
    plan->filter.language = params.text("lang", 16);
    return {"newsmon: " + query, matching_ids(connection, *plan, limit_of(params))};
}

Selection topic_feed(const config::Config& config, pqxx::connection& connection,
                     const std::string& topic, const RequestParams& params) {
    auto configured = std::find_if(config.topics.begin(), config.topics.end(),
                                   [&](const auto& entry) { return entry.name == topic; });
    if (configured == config.topics.end())
        throw NotFound{"no topic named \"" + topic + "\" in the config", "topic"};
    auto plan = store::plan_matches(config, "", topic, std::nullopt);
    if (!plan)
        throw NotFound{plan.error(), "topic"};
    std::string title = "newsmon: topic " + topic;
    if (!configured->description.empty())
        title += " (" + configured->description + ")";
    return {title, matching_ids(connection, *plan, limit_of(params))};
}

Selection alert_feed(pqxx::connection& connection, const std::string& rule,
                     const RequestParams& params) {
    auto ids = store::web_alert_article_ids(connection, rule, limit_of(params));
    if (!ids)
        throw NotFound{"no alert rule named \"" + rule + "\"", "name"};
    return {"newsmon: alert " + rule, std::move(*ids)};
}

// One kind of feed: its path (a prefix, then the captured name and ".atom" if it has one),
// its parameters, and what it selects.
struct FeedRoute {
    std::string prefix;
    bool named = false;
    std::vector<std::string> allowed;
    FeedEndpoint endpoint;
};

std::string atom_document(pqxx::connection& connection, const httplib::Request& request,
                          const FeedRoute& route) {
    RequestParams params(request.params, route.allowed);
    std::string name = route.named ? request.matches[1].str() : "";
    Selection selection = route.endpoint(connection, name, params);
    std::string path = route.named ? route.prefix + percent_encoded(name) + ".atom" : route.prefix;
    AtomFeed feed;
    feed.id = std::string(k_tag) + address(path, request.params, "limit");
    feed.title = std::move(selection.title);
    // Relative, so that it holds behind a proxy that terminates TLS or rewrites the host;
    // the Host header is never written into the document.
    feed.self = address(path, request.params, "");
    for (auto& article : store::web_atom_articles(connection, selection.ids))
        feed.entries.push_back(entry_of(std::move(article)));
    return write_atom(feed);
}

void serve(const httplib::Request& request, httplib::Response& response, ConnectionPool& pool,
           const FeedRoute& route) {
    answer_with_connection(
        pool, request, json_error_reply(request, response), [&](pqxx::connection& connection) {
            reply_body(request, response, 200, atom_document(connection, request, route),
                       std::string(k_content_type));
        });
}

} // namespace

void add_atom_routes(httplib::Server& server, const config::Config& config, ConnectionPool& pool) {
    const config::Config* cfg = &config;
    std::vector<std::pair<std::string, FeedRoute>> routes = {
        {R"(/feeds/search\.atom)",
         {"/feeds/search.atom",
          false,
          {"q", "topic", "feed", "lang", "limit"},
          [cfg](pqxx::connection& connection, const std::string&, const RequestParams& params) {
              return search_feed(*cfg, connection, params);
          }}},
        {R"(/feeds/topics/([^/]+)\.atom)",
         {"/feeds/topics/",
          true,
          {"limit"},
          [cfg](pqxx::connection& connection, const std::string& topic,
                const RequestParams& params) {
              return topic_feed(*cfg, connection, topic, params);
          }}},
        {R"(/feeds/alerts/([^/]+)\.atom)",
         {"/feeds/alerts/",
          true,
          {"limit"},
          [](pqxx::connection& connection, const std::string& rule, const RequestParams& params) {
              return alert_feed(connection, rule, params);
          }}},
    };
    for (auto& [pattern, route] : routes)
        server.Get(pattern, [&pool, route = std::move(route)](const httplib::Request& request,
                                                              httplib::Response& response) {
            serve(request, response, pool, route);
        });
}

} // namespace newsmon::web

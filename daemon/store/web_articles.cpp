#include "store/web_articles.hpp"

#include <string>

namespace newsmon::store {
namespace {

constexpr const char* k_article = R"sql(
SELECT a.id, a.title, coalesce(a.url, ''), f.name, coalesce(a.language, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(a.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(a.author, ''), a.summary, coalesce(a.content_text, ''), a.story_id,
       a.duplicate_of, coalesce(a.content_html, '')
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.id = $1
)sql";

constexpr const char* k_topics = R"sql(
SELECT t.topic, t.score, t.hits, t.in_title, coalesce(array_to_json(t.matched_terms)::text, '[]')
  FROM article_topics t
 WHERE t.article_id = $1
 ORDER BY t.topic
)sql";

// The alert rules that delivered (or will deliver) this article, by name.
constexpr const char* k_delivering_rules = R"sql(
SELECT DISTINCT r.name
  FROM alert_deliveries d JOIN alert_rules_public r ON r.id = d.rule_id
 WHERE d.article_id = $1
 ORDER BY r.name
)sql";

nlohmann::json topics_of(pqxx::read_transaction& tx, std::int64_t id) {
    nlohmann::json topics = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_topics, id))
        topics.push_back({{"topic", row[0].as<std::string>()},
                          {"score", row[1].as<int>()},
                          {"hits", row[2].as<int>()},
                          {"in_title", row[3].as<bool>()},
                          {"matched_terms", nlohmann::json::parse(row[4].as<std::string>())}});
    return topics;
}

} // namespace

std::optional<nlohmann::json> web_article(pqxx::connection& connection, std::int64_t id) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(k_article, id);
    if (rows.empty())
        return std::nullopt;
    const auto& row = rows[0];
    nlohmann::json article = {
        {"id", row[0].as<std::int64_t>()},           {"title", row[1].as<std::string>()},
        {"url", row[2].as<std::string>()},           {"feed", row[3].as<std::string>()},
        {"language", row[4].as<std::string>()},      {"published_at", row[5].as<std::string>()},
        {"first_seen_at", row[6].as<std::string>()}, {"author", row[7].as<std::string>()},
        {"summary", row[8].as<std::string>()},       {"text", row[9].as<std::string>()},
        {"story_id", row[10].as<std::int64_t>()},    {"duplicate_of", nullptr}};
    if (!row[11].is_null())
        article["duplicate_of"] = row[11].as<std::int64_t>();
    // As stored: sanitized when the page was read, and again by whatever renders it.
    article["content_html"] = row[12].as<std::string>();
    article["topics"] = topics_of(tx, id);
    article["alert_rules"] = nlohmann::json::array();
    for (const auto& rule : tx.exec_params(k_delivering_rules, id))
        article["alert_rules"].push_back(rule[0].as<std::string>());
    return article;
}

} // namespace newsmon::store

#include "store/web_atom.hpp"

#include "store/store.hpp"

namespace newsmon::store {
namespace {

// Summaries are bounded: a feed reader shows a few lines, and the article is a link away.
constexpr const char* k_articles = R"sql(
SELECT a.id, a.title, coalesce(a.url, ''), coalesce(a.author, ''),
       left(CASE WHEN a.summary <> '' THEN a.summary ELSE coalesce(a.content_text, '') END, 2000),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(greatest(a.published_at, coalesce(a.updated_at, a.published_at))
               AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       f.name, f.url, a.guid,
       coalesce((SELECT array_to_json(array_agg(t.topic ORDER BY t.topic))::text
                   FROM article_topics t WHERE t.article_id = a.id), '[]')
  FROM unnest($1::bigint[]) WITH ORDINALITY AS wanted (id, position)
  JOIN articles a ON a.id = wanted.id
  JOIN feeds f ON f.id = a.feed_id
 ORDER BY wanted.position
)sql";

constexpr const char* k_public_rule_named = "SELECT 1 FROM alert_rules_public WHERE name = $1";

constexpr const char* k_delivered = R"sql(
SELECT l.article_id
  FROM alert_log l
 WHERE l.rule = $1
 GROUP BY l.article_id
 ORDER BY max(l.delivery_id) DESC
 LIMIT $2
)sql";

} // namespace

std::vector<AtomArticle> web_atom_articles(pqxx::connection& connection,
                                           const std::vector<std::int64_t>& ids) {
    std::vector<AtomArticle> articles;
    if (ids.empty())
        return articles;
    pqxx::read_transaction tx{connection};
    for (const auto& row : tx.exec_params(k_articles, to_int_array(ids)))
        articles.push_back(
            {row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
             row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
             row[6].as<std::string>(), row[7].as<std::string>(), row[8].as<std::string>(),
             row[9].as<std::string>(), strings_from_json(row[10].as<std::string>())});
    return articles;
}

std::optional<std::vector<std::int64_t>> web_alert_article_ids(pqxx::connection& connection,
                                                               const std::string& rule, int limit) {
    pqxx::read_transaction tx{connection};
    if (tx.exec_params(k_public_rule_named, rule).empty())
        return std::nullopt;
    std::vector<std::int64_t> ids;
    for (const auto& row : tx.exec_params(k_delivered, rule, limit))
        ids.push_back(row[0].as<std::int64_t>());
    return ids;
}

} // namespace newsmon::store

#include "store/search.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_search = R"sql(
SELECT a.id, to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       f.name, a.title, coalesce(a.url, ''),
       array_to_string(ARRAY(SELECT t.topic FROM article_topics t
                              WHERE t.article_id = a.id ORDER BY t.topic), ',')
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id
 WHERE (a.search @@ websearch_to_tsquery('russian', $1)
        OR a.search @@ websearch_to_tsquery('simple', $1))
   AND a.duplicate_of IS NULL
   AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM article_topics t
                                     WHERE t.article_id = a.id AND t.topic = $2))
   AND ($3::bigint IS NULL OR a.published_at >= now() - $3::bigint * interval '1 millisecond')
 ORDER BY a.published_at DESC, a.id DESC
 LIMIT $4
)sql";

std::vector<std::string> split_topics(const std::string& joined) {
    std::vector<std::string> topics;
    std::size_t start = 0;
    while (start < joined.size()) {
        std::size_t comma = joined.find(',', start);
        topics.push_back(joined.substr(start, comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return topics;
}

} // namespace

std::vector<SearchHit> search_articles(pqxx::connection& connection, const SearchQuery& query) {
    std::optional<long long> since_ms;
    if (query.since)
        since_ms = static_cast<long long>(query.since->count());
    pqxx::read_transaction tx{connection};
    std::vector<SearchHit> hits;
    for (const auto& row : tx.exec_params(k_search, query.text, query.topic, since_ms, query.limit))
        hits.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(),
                        row[2].as<std::string>(), row[3].as<std::string>(),
                        row[4].as<std::string>(), split_topics(row[5].as<std::string>())});
    return hits;
}

} // namespace newsmon::store

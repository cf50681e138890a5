#include "store/search.hpp"

namespace newsmon::store {
namespace {

// Batches grow, so that a query whose candidates mostly match reads few rows, and one whose
// candidates mostly do not still reads the table in few statements.
constexpr int k_first_batch = 100;
constexpr int k_largest_batch = 5'000;

// Keyset paging on (published_at, id), newest first. `words IS NULL` has its own partial
// index, so the two arms of the OR are a BitmapOr of index scans.
constexpr const char* k_candidates = R"sql(
SELECT a.id, a.title, a.summary, coalesce(a.content_text, ''), f.name, coalesce(a.language, ''),
       coalesce(a.url, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((SELECT string_agg(t.topic, ',' ORDER BY t.topic) FROM article_topics t
                  WHERE t.article_id = a.id), ''),
       a.published_at::text, a.story_id, extract(epoch FROM a.published_at)::bigint
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.duplicate_of IS NULL
   AND ($1::tsquery IS NULL OR a.words @@ $1::tsquery OR a.words IS NULL)
   AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM article_topics t
                                       WHERE t.article_id = a.id AND t.topic = ANY ($2::text[])))
   AND ($3::timestamptz IS NULL OR a.published_at >= $3::timestamptz)
   AND ($4::timestamptz IS NULL OR (a.published_at, a.id) < ($4::timestamptz, $5::bigint))
   AND ($7::text IS NULL OR f.name = $7::text)
   AND ($8::text IS NULL OR a.language = $8::text)
   AND ($9::timestamptz IS NULL OR a.published_at < $9::timestamptz)
 ORDER BY a.published_at DESC, a.id DESC
 LIMIT $6
)sql";

std::vector<std::string> split_topics(const std::string& topics) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < topics.size();) {
        std::size_t comma = std::min(topics.find(',', start), topics.size());
        out.push_back(topics.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

SearchArticle candidate_of(const pqxx::row& row) {
    return {row[0].as<std::int64_t>(),
            row[1].as<std::string>(),
            row[2].as<std::string>(),
            row[3].as<std::string>(),
            row[4].as<std::string>(),
            row[5].as<std::string>(),
            row[6].as<std::string>(),
            row[7].as<std::string>(),
            split_topics(row[8].as<std::string>()),
            row[10].as<std::int64_t>(0),
            row[11].as<std::int64_t>(),
            row[9].as<std::string>()};
}

} // namespace

void for_each_search_candidate(pqxx::connection& connection, const SearchFilter& filter,
                               const std::function<bool(std::vector<SearchArticle>&)>& visit) {
    pqxx::read_transaction tx{connection};
    std::optional<std::string> after_time = filter.after_published;
    std::optional<std::int64_t> after_id = filter.after_id;
    int batch_size = k_first_batch;
    for (;;) {
        auto rows =
            tx.exec_params(k_candidates, filter.words, filter.topics, filter.since, after_time,
                           after_id, batch_size, filter.feed, filter.language, filter.until);
        std::vector<SearchArticle> batch;
        batch.reserve(rows.size());
        for (const auto& row : rows)
            batch.push_back(candidate_of(row));
        if (!batch.empty() && !visit(batch))
            return;
        if (rows.size() < static_cast<std::size_t>(batch_size))
            return;
        after_time = rows.back()[9].as<std::string>();
        after_id = rows.back()[0].as<std::int64_t>();
        batch_size = std::min(batch_size * 4, k_largest_batch);
    }
}

} // namespace newsmon::store

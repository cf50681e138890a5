#include "store/search.hpp"

#include "store/store.hpp"

#include <cstdlib>

namespace newsmon::store {
namespace {

// Batches grow, so that a query whose candidates mostly match reads few rows, and one whose
// candidates mostly do not still reads the table in few statements.
constexpr int k_first_batch = 100;
constexpr int k_largest_batch = 5'000;

// Walking the time index newest first finds the matches of a common word at once, but reads
// the whole table for a rare one, and PostgreSQL cannot tell the two apart for a word its
// statistics do not track: it guesses 0.5% of the rows, and walks. So a word that the
// statistics call rare, or that does not fill the first batch among the newest k_newest
// articles, is looked up in the words index, and when it has at most k_most_looked_up
// articles, the candidates are read among those. A common word is never looked up: its
// posting list grows with the archive, and so would the lookup.
constexpr int k_newest = 2'000;
constexpr int k_most_looked_up = k_largest_batch;

// PostgreSQL's estimate of the articles that match $1 (from the words' statistics, or a
// default share when it tracks none of them) and of all articles (negative when the table was
// never analyzed). Planning only: nothing is read.
constexpr const char* k_estimated_matches = "EXPLAIN SELECT 1 FROM articles WHERE words @@ ";
constexpr const char* k_estimated_articles =
    "SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass";

// How many of the newest $2 articles (republications left out) may match $1, counting up to
// $3: it reads their words, and stops at the $3rd.
constexpr const char* k_newest_hits = R"sql(
SELECT count(*)
  FROM (SELECT 1
          FROM (SELECT words FROM articles WHERE duplicate_of IS NULL
                 ORDER BY published_at DESC LIMIT $2) newest
         WHERE words @@ $1::tsquery OR words IS NULL
         LIMIT $3) hits
)sql";

// The articles that may match $1, at most $2: through the words index, and the index of those
// whose words are unknown. A CTE is planned for all its rows, not the few the LIMIT takes, so
// the 0.5% guessed for an untracked word makes neither a walk nor a scan look cheap. Sequential
// scans are off because for a word the statistics call common (or did, when they are out of
// date) PostgreSQL would scan the table, reading each article's words, a cost it does not count.
constexpr const char* k_no_seqscan = "SET LOCAL enable_seqscan = off";
constexpr const char* k_seqscan_again = "SET LOCAL enable_seqscan TO DEFAULT";
constexpr const char* k_looked_up = R"sql(
WITH matching AS MATERIALIZED (
    SELECT id FROM articles
     WHERE (words @@ $1::tsquery OR words IS NULL) AND duplicate_of IS NULL
)
SELECT id FROM matching LIMIT $2
)sql";

// Keyset paging on (published_at, id), newest first; $10, when given, the only articles to
// read (k_looked_up's). `words IS NULL` has its own partial index, so the two arms of the OR
// are a BitmapOr of index scans. With $10 the words condition holds anyway, and is kept: it
// keeps the estimated rows few, so that PostgreSQL reads the ids by key (or through the words
// index) rather than walking the time index for them.
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
   AND ($10::bigint[] IS NULL OR a.id = ANY ($10::bigint[]))
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

// The articles that may match `words`, as a bigint[] literal, when there are at most
// k_most_looked_up of them; nullopt when there are more.
std::optional<std::string> looked_up(pqxx::read_transaction& tx, const std::string& words) {
    tx.exec0(k_no_seqscan);
    auto rows = tx.exec_params(k_looked_up, words, k_most_looked_up + 1);
    tx.exec0(k_seqscan_again);
    if (rows.size() > static_cast<std::size_t>(k_most_looked_up))
        return std::nullopt;
    std::vector<std::int64_t> ids;
    ids.reserve(rows.size());
    for (const auto& row : rows)
        ids.push_back(row[0].as<std::int64_t>());
    return to_int_array(ids);
}

// Whether the statistics put `words` in fewer than the share of articles that makes a word
// common. They may be out of date, but only in one direction that matters: a word they call
// rare and that has since become common is recent, so its posting list is short, and a lookup
// that finds too many falls back to the walk. A word they call common is probed, as they may
// be wrong (see candidate_ids).
bool statistics_call_rare(pqxx::read_transaction& tx, const std::string& words) {
    double articles = tx.exec1(k_estimated_articles)[0].as<double>();
    if (articles <= 0)
        return false; // never analyzed: no statistics
    // The plan's first line: "<node>  (cost=a..b rows=N width=W)".
    auto plan = tx.exec(std::string(k_estimated_matches) + tx.quote(words) + "::tsquery")[0][0]
                    .as<std::string>();
    auto rows_at = plan.find("rows=");
    if (rows_at == std::string::npos)
        return false;
    double matches = std::strtod(plan.c_str() + rows_at + 5, nullptr);
    return matches < articles * k_first_batch / k_newest;
}

// The only articles to read for `filter` (a bigint[] literal), or nullopt: walk them all.
std::optional<std::string> candidate_ids(pqxx::read_transaction& tx, const SearchFilter& filter) {
    if (!filter.words)
        return std::nullopt;
    if (statistics_call_rare(tx, *filter.words))
        return looked_up(tx, *filter.words); // the probe below reads 2,000 articles' words
    auto newest_hits =
        tx.exec_params1(k_newest_hits, *filter.words, k_newest, k_first_batch)[0].as<int>();
    if (newest_hits == k_first_batch)
        return std::nullopt; // common
    return looked_up(tx, *filter.words);
}

} // namespace

void for_each_search_candidate(pqxx::connection& connection, const SearchFilter& filter,
                               const std::function<bool(std::vector<SearchArticle>&)>& visit) {
    pqxx::read_transaction tx{connection};
    std::optional<std::string> after_time = filter.after_published;
    std::optional<std::int64_t> after_id = filter.after_id;
    std::optional<std::string> among = candidate_ids(tx, filter);
    int batch_size = k_first_batch;
    for (;;) {
        auto rows =
            tx.exec_params(k_candidates, filter.words, filter.topics, filter.since, after_time,
                           after_id, batch_size, filter.feed, filter.language, filter.until, among);
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

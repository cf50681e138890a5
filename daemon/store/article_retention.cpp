#include "store/article_retention.hpp"

#include "store/story_store.hpp"

namespace newsmon::store {
namespace {

// The oldest expired stories first: an interrupted purge has removed a prefix of the past.
constexpr const char* k_expired_stories = R"sql(
SELECT coalesce(array_agg(id), '{}') FROM (
    SELECT id FROM stories
     WHERE last_seen_at < now() - $1 * interval '1 millisecond'
     ORDER BY last_seen_at
     LIMIT $2
       FOR UPDATE) expired)sql";

// Story signatures are kept for the story window and have no key to the article: removed here
// in case the window is longer than the retention.
constexpr const char* k_delete_articles = R"sql(
WITH gone AS (DELETE FROM articles WHERE story_id = ANY($1::bigint[]) RETURNING id),
     signatures AS (DELETE FROM story_signatures WHERE article_id IN (SELECT id FROM gone))
SELECT count(*) FROM gone)sql";

} // namespace

ArticlePurge purge_expired_articles(pqxx::connection& connection, std::chrono::milliseconds keep,
                                    std::chrono::milliseconds budget, int batch) {
    ArticlePurge purged;
    if (keep.count() <= 0)
        return purged;
    auto deadline = std::chrono::steady_clock::now() + budget;
    while (true) {
        pqxx::work tx{connection};
        lock_story_assignment(tx);
        auto ids =
            tx.exec_params1(k_expired_stories, static_cast<long long>(keep.count()), batch)[0]
                .as<std::string>();
        auto articles = tx.exec_params1(k_delete_articles, ids)[0].as<std::int64_t>();
        auto stories =
            tx.exec_params("DELETE FROM stories WHERE id = ANY($1::bigint[])", ids).affected_rows();
        tx.commit();
        purged.articles += articles;
        purged.stories += static_cast<std::int64_t>(stories);
        if (stories < static_cast<std::size_t>(batch))
            return purged;
        if (std::chrono::steady_clock::now() >= deadline) {
            purged.finished = false;
            return purged;
        }
    }
}

} // namespace newsmon::store

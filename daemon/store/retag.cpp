#include "store/retag.hpp"

#include <tuple>

#include "newsmon/parsers/html.hpp"
#include "store/store.hpp"
#include "tag/article_text.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_select_batch = R"sql(
SELECT id, title, summary, coalesce(content_text, ''), coalesce(content_html, '')
  FROM articles
 WHERE id > $1 AND ($2::timestamptz IS NULL OR published_at >= $2::timestamptz)
 ORDER BY id
 LIMIT $3
)sql";

constexpr const char* k_count = R"sql(
SELECT count(*) FROM articles
 WHERE ($1::timestamptz IS NULL OR published_at >= $1::timestamptz)
)sql";

constexpr const char* k_clear = R"sql(
DELETE FROM article_topics
 WHERE article_id = ANY ($1::bigint[]) AND ($2::text IS NULL OR topic = $2)
)sql";

constexpr const char* k_save_progress = R"sql(
INSERT INTO retag_progress (run_key, last_id, done) VALUES ($1, $2, $3)
ON CONFLICT ON CONSTRAINT retag_progress_pkey DO UPDATE
   SET last_id = EXCLUDED.last_id, done = EXCLUDED.done, updated_at = now()
)sql";

std::string run_key(const RetagOptions& options) {
    return "since=" + options.since.value_or("") + ";topic=" + options.topic.value_or("");
}

} // namespace

RetagProgress retag_articles(pqxx::connection& connection, const tag::Tagger& tagger,
                             const RetagOptions& options,
                             const std::function<void(const RetagProgress&)>& on_batch) {
    RetagProgress progress;
    std::string key = run_key(options);
    {
        pqxx::work tx{connection};
        progress.total = tx.exec_params1(k_count, options.since)[0].as<std::int64_t>();
        auto saved =
            tx.exec_params("SELECT last_id, done FROM retag_progress WHERE run_key = $1", key);
        if (!saved.empty()) {
            progress.last_id = saved[0][0].as<std::int64_t>();
            progress.done = saved[0][1].as<std::int64_t>();
            progress.resumed = true;
        }
        tx.commit();
    }
    while (true) {
        pqxx::work tx{connection};
        auto rows =
            tx.exec_params(k_select_batch, progress.last_id, options.since, options.batch_size);
        if (rows.empty())
            break;
        std::string ids = "{";
        std::vector<std::tuple<std::int64_t, tag::TopicMatch>> found;
        for (const auto& row : rows) {
            auto id = row[0].as<std::int64_t>();
            std::string full_text = row[3].as<std::string>();
            if (full_text.empty())
                full_text = parsers::html_to_text(row[4].as<std::string>());
            for (auto& match :
                 tagger.topics_of(row[1].as<std::string>(),
                                  tag::article_body(row[2].as<std::string>(), full_text)))
                if (!options.topic || match.topic == *options.topic)
                    found.emplace_back(id, std::move(match));
            ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
            progress.last_id = id;
        }
        tx.exec_params0(k_clear, ids + "}", options.topic);
        pqxx::stream_to writer{tx, "article_topics",
                               std::vector<std::string>{"article_id", "topic", "score", "hits",
                                                        "matched_terms", "in_title"}};
        for (const auto& [id, match] : found)
            writer << std::make_tuple(id, match.topic, match.score, match.hits,
                                      to_text_array(match.matched_terms), match.in_title);
        writer.complete();
        progress.done += static_cast<std::int64_t>(rows.size());
        tx.exec_params0(k_save_progress, key, progress.last_id, progress.done);
        tx.commit();
        if (on_batch)
            on_batch(progress);
    }
    pqxx::work tx{connection};
    tx.exec_params0("DELETE FROM retag_progress WHERE run_key = $1", key);
    tx.commit();
    return progress;
}

} // namespace newsmon::store

#include "store/retag.hpp"

#include <tuple>

#include "newsmon/parsers/html.hpp"
#include "store/article_words.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"
#include "tag/article_text.hpp"
#include "tag/language_detector.hpp"

namespace newsmon::store {
namespace {

// What tagging an article reads (retag_rows): the same columns in both.
constexpr const char* k_select_retag_batch = R"sql(
SELECT id, title, summary, coalesce(content_text, ''), coalesce(content_html, ''),
       coalesce(language, ''), language_detected, coalesce(updated_at::text, '')
  FROM articles
 WHERE id > $1 AND ($2::timestamptz IS NULL OR published_at >= $2::timestamptz)
 ORDER BY id
 LIMIT $3
)sql";

constexpr const char* k_select_ids = R"sql(
SELECT id, title, summary, coalesce(content_text, ''), coalesce(content_html, ''),
       coalesce(language, ''), language_detected, coalesce(updated_at::text, '')
  FROM articles
 WHERE id = ANY ($1::bigint[])
)sql";

constexpr const char* k_count_to_retag = R"sql(
SELECT count(*) FROM articles
 WHERE ($1::timestamptz IS NULL OR published_at >= $1::timestamptz)
)sql";

constexpr const char* k_clear = R"sql(
DELETE FROM article_topics
 WHERE article_id = ANY ($1::bigint[]) AND ($2::text IS NULL OR topic = $2)
)sql";

// A language detected anew (the detector improved, or the article predates detection); a
// language the feed declared is kept.
constexpr const char* k_set_languages = R"sql(
UPDATE articles a SET language = d.language, language_detected = true
  FROM unnest($1::bigint[], $2::text[]) AS d(id, language)
 WHERE a.id = d.id AND (a.language IS NULL OR a.language_detected)
   AND a.language IS DISTINCT FROM d.language
)sql";

// The words search finds the article by, written where they are unknown or changed, unless
// the article changed since it was read.
constexpr const char* k_set_words = R"sql(
UPDATE articles a SET words = d.words::tsvector
  FROM unnest($1::bigint[], $2::text[], $3::text[]) AS d(id, words, updated_at)
 WHERE a.id = d.id AND a.updated_at IS NOT DISTINCT FROM NULLIF(d.updated_at, '')::timestamptz
   AND a.words IS DISTINCT FROM d.words::tsvector
)sql";

constexpr const char* k_save_progress = R"sql(
INSERT INTO retag_progress (run_key, last_id, done) VALUES ($1, $2, $3)
ON CONFLICT ON CONSTRAINT retag_progress_pkey DO UPDATE
   SET last_id = EXCLUDED.last_id, done = EXCLUDED.done, updated_at = now()
)sql";

struct RetaggedRows {
    std::int64_t last_id = 0;
    std::int64_t languages_set = 0;
};

// Tags the articles of `rows` (k_select_retag_batch's columns) again and replaces their topics
// (only `topic`'s when given), their detected language and their search words.
RetaggedRows retag_rows(pqxx::work& tx, const tag::Tagger& tagger, const pqxx::result& rows,
                        const std::optional<std::string>& topic) {
    RetaggedRows batch;
    std::string ids = "{";
    std::vector<std::tuple<std::int64_t, tag::TopicMatch>> found;
    std::vector<std::int64_t> detected_ids;
    std::vector<std::string> detected_languages;
    std::vector<std::int64_t> word_ids;
    std::vector<std::string> word_vectors, word_times;
    for (const auto& row : rows) {
        auto id = row[0].as<std::int64_t>();
        std::string full_text = row[3].as<std::string>();
        if (full_text.empty())
            full_text = parsers::html_to_text(row[4].as<std::string>());
        auto title = row[1].as<std::string>();
        if (auto words = words_tsvector({title, std::string_view(row[2].c_str(), row[2].size()),
                                         std::string_view(row[3].c_str(), row[3].size())})) {
            word_ids.push_back(id);
            word_vectors.push_back(std::move(*words));
            word_times.push_back(row[7].as<std::string>());
        }
        std::string body = tag::article_body(row[2].as<std::string>(), full_text);
        bool detected = row[6].as<bool>();
        auto language =
            tag::article_language(detected ? "" : row[5].as<std::string>(), title, body);
        if (language.detected) {
            detected_ids.push_back(id);
            detected_languages.push_back(language.code);
        }
        for (auto& match : tagger.topics_of(title, body, tag::language_of(language.code)))
            if (!topic || match.topic == *topic)
                found.emplace_back(id, std::move(match));
        ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
        batch.last_id = id;
    }
    batch.languages_set +=
        static_cast<std::int64_t>(tx.exec_params(k_set_languages, to_int_array(detected_ids),
                                                 to_text_array(detected_languages))
                                      .affected_rows());
    tx.exec_params0(k_set_words, to_int_array(word_ids), to_text_array(word_vectors),
                    to_text_array(word_times));
    tx.exec_params0(k_clear, ids + "}", topic);
    pqxx::stream_to writer{tx, "article_topics",
                           std::vector<std::string>{"article_id", "topic", "score", "hits",
                                                    "matched_terms", "in_title"}};
    for (const auto& [id, match] : found)
        writer << std::make_tuple(id, match.topic, match.score, match.hits,
                                  to_text_array(match.matched_terms), match.in_title);
    writer.complete();
    return batch;
}

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
        progress.total = tx.exec_params1(k_count_to_retag, options.since)[0].as<std::int64_t>();
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
        auto rows = tx.exec_params(k_select_retag_batch, progress.last_id, options.since,
                                   options.batch_size);
        if (rows.empty())
            break;
        auto batch = retag_rows(tx, tagger, rows, options.topic);
        progress.last_id = batch.last_id;
        progress.languages_set += batch.languages_set;
        progress.done += static_cast<std::int64_t>(rows.size());
        tx.exec_params0(k_save_progress, key, progress.last_id, progress.done);
        tx.commit();
        if (on_batch)
            on_batch(progress);
    }
    {
        pqxx::work tx{connection};
        tx.exec_params0("DELETE FROM retag_progress WHERE run_key = $1", key);
        tx.commit();
    }
    // Topics changed outside the ingest upsert, which keeps the rollups otherwise.
    progress.rollup_rows = rebuild_topic_rollups(connection);
    return progress;
}

void retag_articles_by_id(pqxx::work& tx, const tag::Tagger& tagger,
                          const std::vector<std::int64_t>& ids) {
    if (!ids.empty())
        retag_rows(tx, tagger, tx.exec_params(k_select_ids, to_int_array(ids)), std::nullopt);
}

} // namespace newsmon::store

#include "store/page_store.hpp"

#include "newsmon/parsers/dates.hpp"
#include "store/alert_matches.hpp"
#include "store/article_words.hpp"
#include "store/raw_archive.hpp"
#include "store/store.hpp"
#include "store/topic_rollups.hpp"

namespace newsmon::store {
namespace {

std::optional<std::string> nonempty(const std::string& text) {
    if (text.empty())
        return std::nullopt;
    return text;
}

std::optional<std::string> text_or_null(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return field.as<std::string>();
}

} // namespace

std::vector<PageJob> claim_pages(pqxx::connection& connection, int limit,
                                 std::chrono::milliseconds lease, int max_attempts) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(R"sql(
WITH due AS (
    SELECT id FROM articles
     WHERE page_status = 'pending' AND page_next_at <= now() AND page_attempts < $3
     ORDER BY page_next_at, id
     LIMIT $1
       FOR UPDATE SKIP LOCKED)
UPDATE articles a
   SET page_attempts = a.page_attempts + 1,
       page_next_at = now() + $2 * interval '1 millisecond'
  FROM due, feeds f
 WHERE a.id = due.id AND f.id = a.feed_id
RETURNING a.id, a.feed_id, a.url, f.url, a.title, a.summary, coalesce(a.language, ''),
          a.page_etag, a.page_last_modified, a.page_attempts, a.duplicate_of IS NOT NULL)sql",
                               limit, static_cast<long long>(lease.count()), max_attempts);
    tx.commit();
    std::vector<PageJob> jobs;
    for (const auto& row : rows)
        jobs.push_back({row[0].as<std::int64_t>(), row[1].as<std::int64_t>(),
                        row[2].is_null() ? std::string() : row[2].as<std::string>(),
                        row[3].as<std::string>(), row[4].as<std::string>(),
                        row[5].as<std::string>(), row[6].as<std::string>(), text_or_null(row[7]),
                        text_or_null(row[8]), row[9].as<int>(), row[10].as<bool>()});
    return jobs;
}

std::vector<std::string> fail_unfinished_pages(pqxx::connection& connection, int max_attempts) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(R"sql(
UPDATE articles
   SET page_status = 'failed',
       page_error = 'out of attempts: ' || page_attempts || ' made, the last never finished '
                    '(the process stopped while on this page)'
                    || coalesce('; the one before: ' || page_error, '')
 WHERE page_status = 'pending' AND page_next_at <= now() AND page_attempts >= $1
RETURNING coalesce(url, ''))sql",
                               max_attempts);
    tx.commit();
    std::vector<std::string> urls;
    for (const auto& row : rows)
        urls.push_back(row[0].as<std::string>());
    return urls;
}

void write_page_content(pqxx::work& tx, const PageJob& job, const parsers::ExtractedArticle& page,
                        const std::vector<tag::TopicMatch>& topics) {
    std::optional<std::string> published;
    if (page.published)
        published = parsers::format_rfc3339(*page.published);
    // the article's topics and time change below
    take_off_topic_rollups(tx, {job.article_id});
    // The page fills what the feed left out; the feed's own title, author and date stand.
    tx.exec_params0(R"sql(
UPDATE articles
   SET content_text = $2, content_html = coalesce(content_html, $3),
       canonical_url = coalesce($4, canonical_url), author = coalesce(author, $5),
       language = coalesce(language, $6), lead_image = coalesce($7, lead_image),
       published_at = CASE WHEN published_guessed AND $8::timestamptz IS NOT NULL
                           THEN $8::timestamptz ELSE published_at END,
       published_guessed = published_guessed AND $8::timestamptz IS NULL,
       title = CASE WHEN title = '' THEN coalesce($9, '') ELSE title END,
       updated_at = now(),
       -- words of the title and summary the job read: unknown if they changed since
       words = CASE WHEN title = $11 AND summary = $12 THEN $10::tsvector END
 WHERE id = $1)sql",
                    job.article_id, page.content_text, nonempty(page.content_html),
                    nonempty(page.canonical_url), nonempty(page.author), nonempty(page.language),
                    nonempty(page.lead_image), published, nonempty(page.title),
                    // the page's title too, in case it becomes the article's
                    words_tsvector({job.title, page.title, job.summary, page.content_text}),
                    job.title, job.summary);
    std::vector<std::string> names, terms;
    std::vector<std::int64_t> scores, hits;
    std::vector<std::string> in_title;
    for (const auto& topic : topics) {
        names.push_back(topic.topic);
        scores.push_back(topic.score);
        hits.push_back(topic.hits);
        terms.push_back(to_text_array(topic.matched_terms));
        in_title.push_back(topic.in_title ? "true" : "false");
    }
    tx.exec_params0("DELETE FROM article_topics WHERE article_id = $1", job.article_id);
    tx.exec_params0(R"sql(
INSERT INTO article_topics (article_id, topic, score, hits, matched_terms, in_title)
SELECT $1, t.topic, t.score, t.hits, t.terms::text[], t.in_title::boolean
  FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])
       AS t(topic, score, hits, terms, in_title))sql",
                    job.article_id, to_text_array(names), to_int_array(scores), to_int_array(hits),
                    to_text_array(terms), to_text_array(in_title));
    add_to_topic_rollups(tx, {job.article_id});
}

void record_page(pqxx::connection& connection, const PageJob& job,
                 const parsers::ExtractedArticle& page, const std::vector<tag::TopicMatch>& topics,
                 const std::optional<std::string>& etag,
                 const std::optional<std::string>& last_modified, const AlertMatching& alerts,
                 const std::optional<ArchivedBody>& archived) {
    pqxx::work tx{connection};
    if (archived)
        archive_body(tx, ArchiveKind::page, job.feed_id, job.article_id, *archived);
    write_page_content(tx, job, page, topics);
    tx.exec_params0(R"sql(
UPDATE articles
   SET page_status = 'done', page_error = NULL, page_etag = $2, page_last_modified = $3,
       page_fetched_at = now()
 WHERE id = $1)sql",
                    job.article_id, etag, last_modified);
    if (alerts.rules) {
        PolledArticle article;
        article.item.title = job.title;
        article.item.summary = job.summary;
        article.content_text = page.content_text;
        article.language = job.language.empty() ? page.language : job.language;
        article.topics = topics;
        record_alert_matches(tx, alerts, job.feed_id, {article},
                             {{job.article_id, 0, false, job.is_duplicate}});
    }
    tx.commit();
}

void release_pages(pqxx::connection& connection, const std::vector<std::int64_t>& article_ids) {
    pqxx::work tx{connection};
    tx.exec_params0("UPDATE articles SET page_next_at = now(), page_attempts = page_attempts - 1 "
                    "WHERE id = ANY($1::bigint[]) AND page_status = 'pending'",
                    to_int_array(article_ids));
    tx.commit();
}

void record_page_unchanged(pqxx::connection& connection, const PageJob& job) {
    pqxx::work tx{connection};
    tx.exec_params0("UPDATE articles SET page_status = 'done', page_error = NULL, "
                    "page_fetched_at = now() WHERE id = $1",
                    job.article_id);
    tx.commit();
}

void record_page_failure(pqxx::connection& connection, const PageJob& job, const std::string& error,
                         int max_attempts, std::chrono::milliseconds retry,
                         const std::optional<ArchivedBody>& archived) {
    pqxx::work tx{connection};
    if (archived)
        archive_body(tx, ArchiveKind::page, job.feed_id, job.article_id, *archived);
    tx.exec_params0(R"sql(
UPDATE articles
   SET page_error = $2,
       page_status = CASE WHEN page_attempts >= $3 THEN 'failed' ELSE 'pending' END,
       page_next_at = now() + $4 * power(2, page_attempts - 1) * interval '1 millisecond'
 WHERE id = $1)sql",
                    job.article_id, error, max_attempts, static_cast<double>(retry.count()));
    tx.commit();
}

std::optional<std::chrono::milliseconds> time_until_next_page(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto row = tx.exec1("SELECT extract(epoch FROM min(page_next_at) - now()) * 1000 "
                        "FROM articles WHERE page_status = 'pending'");
    if (row[0].is_null())
        return std::nullopt;
    return std::chrono::milliseconds{static_cast<long long>(row[0].as<double>())};
}

} // namespace newsmon::store

#include "store/reparse_store.hpp"

#include "store/article_writer.hpp"
#include "store/retag.hpp"
#include "store/story_store.hpp"
#include "store/topic_rollups.hpp"

namespace newsmon::store {
namespace {

// What a reparse may change in an article, compared before and after it writes.
constexpr const char* k_versions = R"sql(
SELECT a.id, a.guid, a.title, a.summary, coalesce(a.content_html, ''), coalesce(a.url, ''),
       coalesce(a.author, ''), a.categories::text, coalesce(a.language, ''),
       coalesce((SELECT string_agg(t.topic, ',' ORDER BY t.topic)
                   FROM article_topics t WHERE t.article_id = a.id), ''),
       a.page_status IS NOT DISTINCT FROM 'done' AND a.content_text IS NOT NULL
  FROM articles a
)sql";

constexpr const char* k_field_names[] = {"title",  "summary",    "content",  "link",
                                         "author", "categories", "language", "topics"};
constexpr std::size_t k_fields = std::size(k_field_names);

struct Version {
    std::int64_t id = 0;
    std::string fields[k_fields];
    bool has_page = false; // its text is the page's
};

Version version_of(const pqxx::row& row) {
    Version version;
    version.id = row[0].as<std::int64_t>();
    for (std::size_t field = 0; field < k_fields; ++field)
        version.fields[field] = row[static_cast<int>(field) + 2].as<std::string>();
    version.has_page = row[10].as<bool>();
    return version;
}

void save(pqxx::work& tx, const ReparseCheckpoint& checkpoint) {
    tx.exec_params0(R"sql(
INSERT INTO reparse_progress (run_key, last_id, bodies, changed, added)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT ON CONSTRAINT reparse_progress_pkey DO UPDATE
   SET last_id = EXCLUDED.last_id, bodies = EXCLUDED.bodies, changed = EXCLUDED.changed,
       added = EXCLUDED.added, updated_at = now())sql",
                    checkpoint.run_key, checkpoint.last_id, checkpoint.bodies, checkpoint.changed,
                    checkpoint.added);
}

} // namespace

std::optional<ReparseCheckpoint> load_reparse_checkpoint(pqxx::connection& connection,
                                                         const std::string& run_key) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(
        "SELECT last_id, bodies, changed, added FROM reparse_progress WHERE run_key = $1", run_key);
    tx.commit();
    if (rows.empty())
        return std::nullopt;
    return ReparseCheckpoint{run_key, rows[0][0].as<std::int64_t>(), rows[0][1].as<std::int64_t>(),
                             rows[0][2].as<std::int64_t>(), rows[0][3].as<std::int64_t>()};
}

void save_reparse_checkpoint(pqxx::connection& connection, const ReparseCheckpoint& checkpoint) {
    pqxx::work tx{connection};
    save(tx, checkpoint);
    tx.commit();
}

void clear_reparse_checkpoint(pqxx::connection& connection, const std::string& run_key) {
    pqxx::work tx{connection};
    tx.exec_params0("DELETE FROM reparse_progress WHERE run_key = $1", run_key);
    tx.commit();
}

BodyRewrite Store::rewrite_feed_body(const tag::Tagger& tagger, std::int64_t feed_id,
                                     std::int64_t archive_id,
                                     const std::vector<PolledArticle>& articles,
                                     const ReparseCheckpoint& checkpoint) {
    prepare_writer();
    try {
        pqxx::work tx{m_connection};
        std::vector<std::string_view> guids;
        for (const auto& article : articles)
            guids.emplace_back(article.item.guid);
        std::map<std::string, Version, std::less<>> before;
        for (const auto& row : tx.exec_params(
                 std::string(k_versions) + " WHERE a.feed_id = $1 AND a.guid = ANY ($2::text[])",
                 feed_id, to_text_array(guids)))
            before.emplace(row[1].as<std::string>(), version_of(row));
        WriteCounts counts = write_articles(tx, feed_id, articles, *m_stories,
                                            {archive_id, /*reparse=*/true}, m_search.get());
        BodyRewrite rewrite;
        std::vector<std::int64_t> changed_ids, page_ids;
        std::map<std::int64_t, const Version*> old_versions;
        for (const auto& written : counts.written) {
            if (written.is_new) {
                ++rewrite.added;
                continue;
            }
            auto found = before.find(std::string_view(articles[written.index].item.guid));
            if (found == before.end())
                continue;
            changed_ids.push_back(written.id);
            old_versions[written.id] = &found->second;
            if (found->second.has_page)
                page_ids.push_back(written.id);
        }
        // The feed's text alone was tagged; where the page's text is the article's, tag that.
        if (!page_ids.empty()) {
            take_off_topic_rollups(tx, page_ids);
            retag_articles_by_id(tx, tagger, page_ids);
            add_to_topic_rollups(tx, page_ids);
        }
        if (!changed_ids.empty())
            for (const auto& row :
                 tx.exec_params(std::string(k_versions) + " WHERE a.id = ANY ($1::bigint[])",
                                to_int_array(changed_ids))) {
                Version now = version_of(row);
                const Version& old = *old_versions.at(now.id);
                bool any = false;
                for (std::size_t field = 0; field < k_fields; ++field)
                    if (now.fields[field] != old.fields[field]) {
                        ++rewrite.fields[k_field_names[field]];
                        any = true;
                    }
                // a change the comparison does not show (the text behind the feed's HTML,
                // a date) still counts
                if (!any)
                    ++rewrite.fields["other"];
                ++rewrite.changed;
            }
        ReparseCheckpoint next = checkpoint;
        next.last_id = archive_id;
        ++next.bodies;
        next.changed += rewrite.changed;
        next.added += rewrite.added;
        save(tx, next);
        tx.commit();
        return rewrite;
    } catch (...) {
        // what the story index learnt from the batch was never stored: read it afresh
        m_stories = std::make_unique<StoryAssigner>(m_story_window);
        throw;
    }
}

std::optional<PageJob> archived_page_job(pqxx::connection& connection, std::int64_t article_id) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(R"sql(
SELECT a.id, a.feed_id, coalesce(a.url, ''), f.url, a.title, a.summary,
       coalesce(a.language, ''), a.duplicate_of IS NOT NULL
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.id = $1)sql",
                               article_id);
    tx.commit();
    if (rows.empty())
        return std::nullopt;
    const auto& row = rows[0];
    PageJob job;
    job.article_id = row[0].as<std::int64_t>();
    job.feed_id = row[1].as<std::int64_t>();
    job.url = row[2].as<std::string>();
    job.feed_url = row[3].as<std::string>();
    job.title = row[4].as<std::string>();
    job.summary = row[5].as<std::string>();
    job.language = row[6].as<std::string>();
    job.is_duplicate = row[7].as<bool>();
    return job;
}

bool rewrite_page(pqxx::connection& connection, const PageJob& job,
                  const parsers::ExtractedArticle& page, const std::vector<tag::TopicMatch>& topics,
                  const ReparseCheckpoint& checkpoint) {
    pqxx::work tx{connection};
    auto stored = tx.exec_params("SELECT coalesce(content_text, '') FROM articles WHERE id = $1",
                                 job.article_id);
    bool changed = !stored.empty() && stored[0][0].as<std::string>() != page.content_text;
    ReparseCheckpoint saved = checkpoint;
    if (changed) {
        write_page_content(tx, job, page, topics);
        ++saved.changed;
    }
    save(tx, saved);
    tx.commit();
    return changed;
}

} // namespace newsmon::store

#include "store/story_rebuild.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/html.hpp"
#include "store/store.hpp"
#include "store/story_store.hpp"
#include "store/topic_rollups.hpp"
#include "stories/story_index.hpp"
#include "tag/article_text.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_count_to_restory = R"sql(
SELECT count(*) FROM articles WHERE $1::timestamptz IS NULL OR published_at >= $1::timestamptz
)sql";

// Articles before the rebuilt span whose stories the rebuilt articles may join.
constexpr const char* k_earlier_signatures = R"sql(
SELECT s.article_id, s.story_id, extract(epoch FROM s.published_at)::bigint,
       encode(s.signature, 'hex')
  FROM story_signatures s
 WHERE $1::timestamptz IS NOT NULL
   AND s.published_at >= $1::timestamptz - $2::bigint * interval '1 second'
   AND s.published_at < $1::timestamptz
)sql";

constexpr const char* k_select_batch = R"sql(
SELECT a.id, a.title, a.summary, COALESCE(a.content_text, ''), COALESCE(a.content_html, ''),
       COALESCE(a.language, ''), extract(epoch FROM a.published_at)::bigint, a.story_id,
       a.duplicate_of, a.published_at::text
  FROM articles a
 WHERE ($1::timestamptz IS NULL OR a.published_at >= $1::timestamptz)
   AND ($2::timestamptz IS NULL OR (a.published_at, a.id) > ($2::timestamptz, $3::bigint))
 ORDER BY a.published_at, a.id
 LIMIT $4
)sql";

// A spike rule's hits count stories, so they move with their articles.
constexpr const char* k_move_articles = R"sql(
WITH moved AS (
    UPDATE articles a SET story_id = v.story_id
      FROM unnest($1::bigint[], $2::bigint[]) AS v(id, story_id)
     WHERE a.id = v.id AND a.story_id <> v.story_id
    RETURNING a.id, a.story_id),
hits AS (
    UPDATE spike_hits h SET story_id = m.story_id FROM moved m WHERE h.article_id = m.id)
SELECT id FROM moved
)sql";

constexpr const char* k_write_signatures = R"sql(
INSERT INTO story_signatures (article_id, story_id, published_at, signature)
SELECT v.id, v.story_id, a.published_at, decode(v.signature, 'hex')
  FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS v(id, story_id, signature)
  JOIN articles a ON a.id = v.id
ON CONFLICT ON CONSTRAINT story_signatures_pkey DO UPDATE
   SET story_id = EXCLUDED.story_id, signature = EXCLUDED.signature,
       seq = nextval('story_signatures_seq')
 WHERE story_signatures.story_id <> EXCLUDED.story_id
    OR story_signatures.signature <> EXCLUDED.signature
)sql";

constexpr const char* k_list = R"sql(
SELECT s.id, s.title, to_char(s.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.article_count, s.feed_count, array_to_json(s.languages)::text,
       (SELECT COALESCE(json_agg(DISTINCT t.topic ORDER BY t.topic), '[]')::text
          FROM articles a JOIN article_topics t ON t.article_id = a.id WHERE a.story_id = s.id),
       f.name, COALESCE(first.url, '')
  FROM stories s
  JOIN articles first ON first.id = s.first_article_id
  JOIN feeds f ON f.id = first.feed_id
 WHERE s.last_seen_at > now() - $1::bigint * interval '1 millisecond'
   AND ($2::text IS NULL OR EXISTS (
        SELECT 1 FROM articles a JOIN article_topics t ON t.article_id = a.id
         WHERE a.story_id = s.id AND t.topic = $2::text))
 ORDER BY s.feed_count DESC, s.article_count DESC, s.first_seen_at, s.id
 LIMIT $3
)sql";

std::vector<std::string> json_strings(const std::string& text) {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

// Story ids handed out by this run: a cluster takes its first article's current story id
// unless an earlier cluster of the run already took it.
class StoryIds {
public:
    std::int64_t for_new_cluster(pqxx::work& tx, std::int64_t current) {
        if (m_taken.insert(current).second)
            return current;
        auto fresh = tx.exec1("SELECT nextval(pg_get_serial_sequence('stories', 'id'))")[0]
                         .as<std::int64_t>();
        m_taken.insert(fresh);
        return fresh;
    }
    void take(std::int64_t id) { m_taken.insert(id); }

private:
    std::set<std::int64_t> m_taken;
};

} // namespace

RestoryProgress restory_articles(pqxx::connection& connection, const RestoryOptions& options,
                                 const std::function<void(const RestoryProgress&)>& on_batch) {
    RestoryProgress progress;
    stories::StoryIndex index(options.window);
    StoryIds ids;
    {
        pqxx::work tx{connection};
        progress.total = tx.exec_params1(k_count_to_restory, options.since)[0].as<std::int64_t>();
        for (const auto& row : tx.exec_params(k_earlier_signatures, options.since,
                                              static_cast<long long>(options.window.count()))) {
            auto story = row[1].as<std::int64_t>();
            ids.take(story);
            index.add({row[0].as<std::int64_t>(), story,
                       std::chrono::sys_seconds{std::chrono::seconds{row[2].as<long long>()}},
                       stories::from_bytes(from_hex(row[3].as<std::string>()))});
        }
        tx.commit();
    }
    std::map<std::int64_t, std::int64_t> story_of_article; // for republications
    std::optional<std::string> last_published;
    std::int64_t last_id = 0;
    while (true) {
        pqxx::work tx{connection};
        // A writer storing new articles meanwhile waits for this batch, then assigns them from
        // its signatures as rewritten; it takes no row lock before the same lock.
        lock_story_assignment(tx);
        auto rows = tx.exec_params(k_select_batch, options.since, last_published, last_id,
                                   options.batch_size);
        if (rows.empty())
            break;
        std::vector<std::int64_t> article_ids, story_ids;
        std::vector<std::string> signatures;
        std::vector<std::int64_t> touched;
        for (const auto& row : rows) {
            auto id = row[0].as<std::int64_t>();
            std::string full_text = row[3].as<std::string>();
            if (full_text.empty())
                full_text = parsers::html_to_text(row[4].as<std::string>());
            auto signature = stories::make_signature(
                row[1].as<std::string>(), tag::article_body(row[2].as<std::string>(), full_text),
                tag::language_of(row[5].as<std::string>()));
            std::chrono::sys_seconds published{std::chrono::seconds{row[6].as<long long>()}};
            auto current = row[7].as<std::int64_t>();
            std::int64_t story = 0;
            auto original = row[8].is_null() ? 0 : row[8].as<std::int64_t>();
            if (auto found = story_of_article.find(original); found != story_of_article.end())
                story = found->second;
            else if (auto match = index.nearest(signature, published))
                story = match->story_id;
            else
                story = ids.for_new_cluster(tx, current);
            index.add({id, story, published, signature});
            story_of_article[id] = story;
            article_ids.push_back(id);
            story_ids.push_back(story);
            signatures.push_back(to_hex(stories::to_bytes(signature)));
            touched.push_back(story);
            touched.push_back(current);
            last_published = row[9].as<std::string>();
            last_id = id;
        }
        progress.moved += static_cast<std::int64_t>(
            tx.exec_params(k_move_articles, to_int_array(article_ids), to_int_array(story_ids))
                .size());
        tx.exec_params0(k_write_signatures, to_int_array(article_ids), to_int_array(story_ids),
                        to_text_array(signatures));
        update_story_rows(tx, touched);
        tx.commit();
        progress.done += static_cast<std::int64_t>(rows.size());
        if (on_batch)
            on_batch(progress);
    }
    // The stories' first articles moved outside the ingest upsert, which keeps the rollups
    // otherwise.
    progress.rollup_rows = rebuild_topic_rollups(connection);
    return progress;
}

std::vector<StorySummary> list_stories(pqxx::connection& connection, const StoryListQuery& query) {
    pqxx::read_transaction tx{connection};
    std::vector<StorySummary> stories;
    for (const auto& row : tx.exec_params(k_list, static_cast<long long>(query.since.count()),
                                          query.topic, query.limit)) {
        stories.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(),
                           row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<int>(),
                           row[5].as<int>(), json_strings(row[6].as<std::string>()),
                           json_strings(row[7].as<std::string>()), row[8].as<std::string>(),
                           row[9].as<std::string>()});
    }
    return stories;
}

} // namespace newsmon::store

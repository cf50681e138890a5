#include "store/article_writer.hpp"

#include <array>
#include <map>
#include <set>
#include <tuple>

#include "base/log.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"
#include "store/article_words.hpp"
#include "store/binary_arrays.hpp"
#include "store/search_vectors.hpp"

namespace newsmon::store {
namespace {

// One statement per batch. The batch comes as one array a column ($6 to $23 its articles, $24
// to $29 their topics, in binary form: IncomingBatch), unnested into CTEs held in memory; a
// temporary table would be written, read back and truncated at every commit. Rows whose guid
// is stored with the same content hash are left alone (an index lookup, no row lock, no dead
// tuple); changed ones are updated in place; new ones inserted. Their topics are written, and
// stale topics removed, in the same statement.
//
// A new article whose canonical URL, or normalized title within 48 hours, was seen first from
// another feed gets duplicate_of as it is inserted: a later UPDATE would write every index of
// the row again. A new article's search vector comes computed (new_search_vectors); a changed
// one's is computed by the table's trigger (0019), from the stored text the feed may lack. The time
// window is written so that only the title_key index can serve it (a fresh table's statistics would
// otherwise pick the published_at index), and o.title_key <> '' is spelled out so that the partial
// index qualifies.
//
// The stories assigned come as arrays by the batch's order ($4 ord, $5 story_id): a new
// article's story_id is its story's, or, negative, the batch's number for a story it opens: one
// id is drawn per such number, from the sequence looked up once. The stories' rows and the new
// articles' signatures are written afterwards, under the story lock
// (StoryAssigner::write_stories); this statement locks no story row.
//
// The batch's change to the topic rollups (0016_topic_rollups.sql) is appended to
// topic_hourly_changes as signed deltas per topic, feed and hour (and the pairs' to
// topic_pair_hourly_changes, 0021_feed_and_pair_rollups.sql): what the updated articles counted
// before (read in the statement's snapshot, as every CTE reads the tables) taken off, what they
// and the new articles count now added; the stories the new articles open or become the first
// of are counted with the story rows. Only an append, so writers never wait on each other for
// it; the price is that two transactions changing one story's first article, or one article, at
// the same moment (an update and another feed's earlier report, a page and its feed) each judge
// from their own snapshot, which `newsmon rollups rebuild` corrects. The batch's change to its
// stories' tags per topic (stories.topic_articles, 0024_story_topics.sql) is appended the same
// way, to story_topic_changes.
constexpr const char* k_upsert = R"sql(
WITH incoming_articles AS MATERIALIZED (
    SELECT r.ord, r.guid, r.url, r.canonical_url, r.title, r.author, r.summary, r.content_text,
           r.content_html, r.categories::text[] AS categories, r.language,
           r.published_at::timestamptz AS published_at, r.content_hash, r.title_key,
           r.wants_page, r.language_detected, r.words, r.search
      FROM unnest($6::integer[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                  $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
                  $18::text[], $19::text[], $20::boolean[], $21::boolean[], $22::tsvector[],
                  $23::tsvector[])
           AS r(ord, guid, url, canonical_url, title, author, summary, content_text, content_html,
                categories, language, published_at, content_hash, title_key, wants_page,
                language_detected, words, search)
), incoming_topics AS MATERIALIZED (
    SELECT t.ord, t.topic, t.score, t.hits, t.matched_terms::text[] AS matched_terms, t.in_title
      FROM unnest($24::integer[], $25::text[], $26::integer[], $27::integer[], $28::text[],
                  $29::boolean[]) AS t(ord, topic, score, hits, matched_terms, in_title)
), assigned AS (
    SELECT * FROM unnest($4::integer[], $5::bigint[]) AS v(ord, story_id)
), story_sequence AS (
    SELECT pg_get_serial_sequence('stories', 'id')::regclass AS id
), opened AS (
    -- ids drawn in the order of the batch, as the stories' first articles come
    SELECT g.number, nextval((SELECT id FROM story_sequence)) AS id
      FROM (SELECT story_id AS number, min(ord) AS first_ord FROM assigned
             WHERE story_id < 0 GROUP BY story_id ORDER BY first_ord) g
), updated AS (
    UPDATE articles a
       SET url = i.url, canonical_url = i.canonical_url, title = i.title, author = i.author,
           summary = i.summary, content_text = COALESCE(i.content_text, a.content_text),
           content_html = i.content_html, categories = i.categories,
           language = COALESCE(i.language, a.language),
           language_detected = CASE WHEN i.language IS NULL THEN a.language_detected
                                    ELSE i.language_detected END,
           published_at = COALESCE(i.published_at, a.published_at),
           content_hash = i.content_hash, title_key = i.title_key, updated_at = now(),
           -- the stored text kept without its words: unknown, so search reads the article
           words = CASE WHEN i.content_text IS NULL AND a.content_text IS NOT NULL THEN NULL
                        ELSE i.words END,
           -- a changed item whose page matters: fetch the page again (conditionally)
           page_status = CASE WHEN i.wants_page THEN 'pending' ELSE a.page_status END,
           page_attempts = CASE WHEN i.wants_page THEN 0 ELSE a.page_attempts END,
           page_next_at = CASE WHEN i.wants_page THEN now() ELSE a.page_next_at END,
           archive_id = $2
      FROM incoming_articles i
     WHERE a.feed_id = $1 AND a.guid = i.guid AND a.content_hash <> i.content_hash
       -- a reparse never writes an older version of an item over a newer one
       AND (NOT $3 OR a.archive_id IS NULL OR a.archive_id <= $2)
    RETURNING a.id, i.ord, a.duplicate_of IS NOT NULL AS is_duplicate, a.published_at,
              a.story_id
), inserted AS (
    -- A republication (duplicate_of) goes into the story of the article it repeats.
    INSERT INTO articles (feed_id, guid, url, canonical_url, title, author, summary,
                          content_text, content_html, categories, language, language_detected,
                          published_at, content_hash, title_key, published_guessed, page_status,
                          page_next_at, duplicate_of, story_id, words, archive_id, search)
    SELECT $1, i.guid, i.url, i.canonical_url, i.title, i.author, i.summary, i.content_text,
           i.content_html, i.categories, i.language, i.language_detected,
           COALESCE(i.published_at, now()),
           i.content_hash, i.title_key, i.published_at IS NULL,
           CASE WHEN i.wants_page THEN 'pending' END, CASE WHEN i.wants_page THEN now() END,
           r.original,
           COALESCE((SELECT o.story_id FROM articles o WHERE o.id = r.original),
                    CASE WHEN asg.story_id < 0 THEN op.id ELSE asg.story_id END,
                    nextval((SELECT id FROM story_sequence))),
           i.words, $2, i.search
      FROM incoming_articles i
      LEFT JOIN assigned asg ON asg.ord = i.ord
      LEFT JOIN opened op ON op.number = asg.story_id
      CROSS JOIN LATERAL (SELECT COALESCE(
               (SELECT min(o.id) FROM articles o
                 WHERE o.canonical_url = i.canonical_url AND o.feed_id <> $1
                   AND o.duplicate_of IS NULL),
               (SELECT min(o.id) FROM articles o
                 WHERE i.title_key <> '' AND o.title_key = i.title_key AND o.title_key <> ''
                   AND o.feed_id <> $1
                   AND o.duplicate_of IS NULL
                   AND abs(extract(epoch FROM o.published_at - COALESCE(i.published_at, now())))
                       <= 48 * 3600)) AS original) r
     WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.feed_id = $1 AND a.guid = i.guid)
     ORDER BY i.ord
    ON CONFLICT ON CONSTRAINT articles_feed_guid_key DO NOTHING
    RETURNING id, guid, duplicate_of IS NOT NULL AS is_duplicate, story_id, published_at,
              language, title
), story_tag_changes AS (
    -- what the batch changes in its stories' tags per topic (stories.topic_articles,
    -- republications included): the new articles' tags, an updated article's new ones less
    -- its old ones
    INSERT INTO story_topic_changes (story_id, topic, articles)
    SELECT d.story_id, d.topic, sum(d.n)::integer
      FROM (SELECT n.story_id, it.topic, 1 AS n
              FROM inserted n
              JOIN incoming_articles i ON i.guid = n.guid
              JOIN incoming_topics it ON it.ord = i.ord
            UNION ALL
            SELECT u.story_id, it.topic, 1
              FROM updated u JOIN incoming_topics it ON it.ord = u.ord
            UNION ALL
            SELECT u.story_id, t.topic, -1
              FROM updated u JOIN article_topics t ON t.article_id = u.id) d
     WHERE d.story_id IS NOT NULL
     GROUP BY 1, 2
    HAVING sum(d.n) <> 0
), rollup_changes AS (
    INSERT INTO topic_hourly_changes (topic, feed_id, hour, articles, stories)
    SELECT d.topic, d.feed_id, d.hour, sum(d.articles)::integer, sum(d.stories)::integer
      FROM (-- what the updated articles counted before
            SELECT t.topic, a.feed_id, date_trunc('hour', a.published_at, 'UTC') AS hour,
                   -1 AS articles, -(s.first_article_id = a.id)::integer AS stories
              FROM articles a
              JOIN article_topics t ON t.article_id = a.id
              JOIN stories s ON s.id = a.story_id
             WHERE a.id IN (SELECT id FROM updated) AND a.duplicate_of IS NULL
            UNION ALL
            -- what the updated articles count now
            SELECT it.topic, $1, date_trunc('hour', u.published_at, 'UTC'), 1,
                   (s.first_article_id = u.id)::integer
              FROM updated u
              JOIN incoming_topics it ON it.ord = u.ord
              JOIN stories s ON s.id = u.story_id
             WHERE NOT u.is_duplicate
            UNION ALL
            -- what the new articles count (the stories they open or become the first of are
            -- counted with the story rows, StoryAssigner::write_stories)
            SELECT it.topic, $1, date_trunc('hour', n.published_at, 'UTC'), 1, 0
              FROM inserted n
              JOIN incoming_articles i ON i.guid = n.guid
              JOIN incoming_topics it ON it.ord = i.ord
             WHERE NOT n.is_duplicate) d
     GROUP BY d.topic, d.feed_id, d.hour
    HAVING sum(d.articles) <> 0 OR sum(d.stories) <> 0
), pair_changes AS (
    INSERT INTO topic_pair_hourly_changes (hour, topic_a, topic_b, articles)
    SELECT d.hour, d.topic_a, d.topic_b, sum(d.articles)::integer
      FROM (-- the pairs the updated articles counted before
            SELECT date_trunc('hour', a.published_at, 'UTC') AS hour, x.topic AS topic_a,
                   y.topic AS topic_b, -1 AS articles
              FROM articles a
              JOIN article_topics x ON x.article_id = a.id
              JOIN article_topics y ON y.article_id = a.id AND x.topic < y.topic
             WHERE a.id IN (SELECT id FROM updated) AND a.duplicate_of IS NULL
            UNION ALL
            -- the pairs the updated and new articles count now
            SELECT date_trunc('hour', c.published_at, 'UTC'), x.topic, y.topic, 1
              FROM (SELECT u.ord, u.published_at FROM updated u WHERE NOT u.is_duplicate
                    UNION ALL
                    SELECT i.ord, n.published_at
                      FROM inserted n JOIN incoming_articles i ON i.guid = n.guid
                     WHERE NOT n.is_duplicate) c
              JOIN incoming_topics x ON x.ord = c.ord
              JOIN incoming_topics y ON y.ord = c.ord AND x.topic < y.topic) d
     GROUP BY d.hour, d.topic_a, d.topic_b
    HAVING sum(d.articles) <> 0
), written AS (
    SELECT u.id, u.ord, false AS is_new, u.is_duplicate, NULL::bigint AS story_id,
           NULL::bigint AS published
      FROM updated u
    UNION ALL
    SELECT n.id, i.ord, true, n.is_duplicate, n.story_id,
           extract(epoch FROM n.published_at)::bigint
      FROM inserted n JOIN incoming_articles i ON i.guid = n.guid
), stale_topics AS (
    DELETE FROM article_topics t USING written w
     WHERE t.article_id = w.id AND NOT w.is_new
       AND NOT EXISTS (SELECT 1 FROM incoming_topics it WHERE it.ord = w.ord AND it.topic = t.topic)
), topics_written AS (
    INSERT INTO article_topics (article_id, topic, score, hits, matched_terms, in_title)
    SELECT w.id, it.topic, it.score, it.hits, it.matched_terms, it.in_title
      FROM written w JOIN incoming_topics it ON it.ord = w.ord
    ON CONFLICT ON CONSTRAINT article_topics_pkey DO UPDATE
       SET score = EXCLUDED.score, hits = EXCLUDED.hits,
           matched_terms = EXCLUDED.matched_terms, in_title = EXCLUDED.in_title
)
SELECT w.id, w.is_new, w.is_duplicate, w.ord, w.story_id, w.published
  FROM written w
)sql";

// What the feed's articles of this batch hold now: an unchanged repeat is left alone by the
// upsert, so its words need not be made.
constexpr const char* k_stored_hashes = R"sql(
SELECT guid, content_hash FROM articles WHERE feed_id = $1 AND guid = ANY ($2::text[])
)sql";

// PostgreSQL's search vectors of texts, in the binary form the upsert takes (new_search_vectors).
constexpr const char* k_declined_search_vectors = R"sql(
SELECT tsvectorsend(article_search_vector(t.title, t.summary, t.content_text))
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY
       AS t(title, summary, content_text, n)
 ORDER BY t.n
)sql";

std::optional<std::string> nonempty(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    return std::string(text);
}

std::string join_authors(const parsers::TextList& authors) {
    std::string joined;
    for (const auto& author : authors)
        joined.append(joined.empty() ? "" : ", ").append(author);
    return joined;
}

std::string content_hash(const PolledArticle& input) {
    const parsers::Item& item = input.item;
    std::string material;
    for (std::string_view part :
         {std::string_view(item.title), std::string_view(item.link), std::string_view(item.summary),
          item.content_html ? std::string_view(*item.content_html) : "",
          std::string_view(input.content_text)})
        material.append(part).push_back('\x1f');
    material += join_authors(item.authors);
    for (const auto& category : item.categories)
        material.append(1, '\x1f').append(category);
    for (const auto& topic : input.topics)
        material += '\x1e' + topic.topic + ':' + std::to_string(topic.score);
    return parsers::change_digest_hex(material);
}

// The stored content hash of each of the batch's articles the feed has already, by guid.
StoredHashes stored_hashes(pqxx::transaction_base& tx, std::int64_t feed_id,
                           const std::vector<PolledArticle>& articles) {
    std::vector<std::string_view> guids;
    for (const auto& article : articles)
        guids.emplace_back(article.item.guid);
    StoredHashes hashes;
    for (const auto& row : tx.exec_prepared("stored_content_hashes", feed_id, to_text_array(guids)))
        hashes.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    return hashes;
}

// The article's words for articles.words, unless it is stored unchanged.
std::optional<std::string> words_unless_unchanged(const PolledArticle& article,
                                                  const std::string& hash,
                                                  const StoredHashes& stored) {
    auto found = stored.find(std::string_view(article.item.guid));
    if (found != stored.end() && found->second == hash)
        return std::nullopt;
    if (article.words)
        return article.words->tsvector;
    return words_tsvector({article.item.title, article.item.summary, article.content_text},
                          TsVectorForm::binary);
}

// Whether every article of the batch is stored with this content already (`hashes` by the
// batch's order): the upsert would then change nothing, so the batch need not send its rows
// nor run it, and waits on nothing that holds the tables it writes (a
// `rollups rebuild`). A feed without conditional GET sends the same items at every poll.
bool all_unchanged(const std::vector<PolledArticle>& articles,
                   const std::vector<std::string>& hashes, const StoredHashes& stored) {
    for (std::size_t i = 0; i < articles.size(); ++i) {
        auto found = stored.find(std::string_view(articles[i].item.guid));
        if (found == stored.end() || found->second != hashes[i])
            return false;
    }
    return true;
}

// Whether the batch changes an article the feed has stored (`hashes` by the batch's order).
bool changes_stored(const std::vector<PolledArticle>& articles,
                    const std::vector<std::string>& hashes, const StoredHashes& stored) {
    for (std::size_t i = 0; i < articles.size(); ++i) {
        auto found = stored.find(std::string_view(articles[i].item.guid));
        if (found != stored.end() && found->second != hashes[i])
            return true;
    }
    return false;
}

// Whether the article's page is to be fetched (again): a reparse leaves a stored article's page
// as it is, since only its feed's body was read again.
bool wants_page(const PolledArticle& article, const StoredHashes& stored, bool keep_page_state) {
    if (keep_page_state && stored.contains(std::string_view(article.item.guid)))
        return false;
    return article.wants_page;
}

// The search vectors of the batch's new articles, by the batch's order, in binary form: assembled
// by the writer (search_vectors.hpp), or computed by PostgreSQL for a text the assembly declines
// (all of them when it is off). Both happen here, before the story lock is taken: parsing the
// texts is most of PostgreSQL's work on a new article, and the writers do it in parallel.
std::vector<std::optional<std::string>>
new_search_vectors(pqxx::transaction_base& tx, const std::vector<PolledArticle>& articles,
                   const StoredHashes& stored, SearchVectors* search) {
    std::vector<SearchText> texts;
    std::vector<std::size_t> new_ones;
    for (std::size_t i = 0; i < articles.size(); ++i)
        if (!stored.contains(std::string_view(articles[i].item.guid))) {
            new_ones.push_back(i);
            texts.push_back({articles[i].item.title, articles[i].item.summary,
                             std::string_view(articles[i].content_text)});
        }
    std::vector<std::optional<std::string>> vectors(articles.size());
    if (search != nullptr) {
        auto assembled = search->assemble(tx, texts);
        for (std::size_t j = 0; j < new_ones.size(); ++j)
            vectors[new_ones[j]] = std::move(assembled[j]);
    }
    binary::ArrayBuilder titles{binary::ElementType::text};
    binary::ArrayBuilder summaries{binary::ElementType::text};
    binary::ArrayBuilder contents{binary::ElementType::text};
    std::vector<std::size_t> declined;
    for (std::size_t i : new_ones)
        if (!vectors[i]) {
            declined.push_back(i);
            titles.add_text(std::string_view(articles[i].item.title));
            summaries.add_text(std::string_view(articles[i].item.summary));
            if (articles[i].content_text.empty())
                contents.add_null();
            else
                contents.add_text(articles[i].content_text);
        }
    if (declined.empty())
        return vectors;
    auto rows = tx.exec_prepared("declined_search_vectors", titles.parameter(),
                                 summaries.parameter(), contents.parameter());
    for (std::size_t j = 0; j < declined.size() && j < rows.size(); ++j)
        if (!rows[j][0].is_null())
            vectors[declined[j]] = pqxx::binarystring(rows[j][0]).str();
    return vectors;
}

// The batch's articles and their topics as the upsert's arrays ($6 to $29), one a column, in
// binary form (binary_arrays.hpp). A new article's search vector comes from new_search_vectors;
// a changed one's is computed by the table's trigger, from the stored text the feed may lack.
class IncomingBatch {
public:
    // m_articles holds one builder a column, in the order of the upsert's r(ord, guid, url, …).
    void add_article(const PolledArticle& article, int ord, const std::string& hash,
                     const StoredHashes& stored, bool keep_page_state,
                     std::optional<std::string> search_vector) {
        const parsers::Item& item = article.item;
        m_ords.push_back(ord);
        m_articles[0].add_integer(ord);
        add(1, item.guid);
        add(2, nonempty(item.link));
        add(3, nonempty(parsers::canonical_url(item.link)));
        add(4, item.title);
        add(5, nonempty(join_authors(item.authors)));
        add(6, item.summary);
        add(7, nonempty(article.content_text));
        add(8, item.content_html);
        add(9, to_text_array(item.categories));
        add(10, nonempty(article.language));
        add(11, item.published ? std::optional(parsers::format_rfc3339(*item.published))
                               : std::nullopt);
        add(12, hash);
        add(13, parsers::title_key(item.title));
        m_articles[14].add_boolean(wants_page(article, stored, keep_page_state));
        m_articles[15].add_boolean(article.language_detected);
        m_articles[16].add_encoded(words_unless_unchanged(article, hash, stored));
        m_articles[17].add_encoded(search_vector);
        for (const auto& match : article.topics) {
            m_topics[0].add_integer(ord);
            m_topics[1].add_text(std::string_view(match.topic));
            m_topics[2].add_integer(match.score);
            m_topics[3].add_integer(match.hits);
            m_topics[4].add_text(to_text_array(match.matched_terms));
            m_topics[5].add_boolean(match.in_title);
        }
    }

    // The batch's order of each article taken (a guid repeated keeps its first occurrence).
    [[nodiscard]] const std::vector<int>& ords() const { return m_ords; }

    [[nodiscard]] pqxx::result upsert(pqxx::transaction_base& tx, std::int64_t feed_id,
                                      const WriteSource& source, const std::string& assigned_ords,
                                      const std::string& assigned_story_ids) const {
        auto a = [this](std::size_t column) { return m_articles[column].parameter(); };
        auto t = [this](std::size_t column) { return m_topics[column].parameter(); };
        return tx.exec_prepared("upsert_articles", feed_id, source.archive_id, source.reparse,
                                assigned_ords, assigned_story_ids, a(0), a(1), a(2), a(3), a(4),
                                a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14),
                                a(15), a(16), a(17), t(0), t(1), t(2), t(3), t(4), t(5));
    }

private:
    template <typename Text> void add(std::size_t column, const Text& value) {
        m_articles[column].add_text(std::string_view(value));
    }
    template <typename Text> void add(std::size_t column, const std::optional<Text>& value) {
        if (value)
            add(column, *value);
        else
            m_articles[column].add_null();
    }

    using Type = binary::ElementType;
    std::vector<int> m_ords;
    std::array<binary::ArrayBuilder, 18> m_articles{
        binary::ArrayBuilder{Type::integer},  binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::text},     binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::boolean},  binary::ArrayBuilder{Type::boolean},
        binary::ArrayBuilder{Type::tsvector}, binary::ArrayBuilder{Type::tsvector}};
    std::array<binary::ArrayBuilder, 6> m_topics{
        binary::ArrayBuilder{Type::integer}, binary::ArrayBuilder{Type::text},
        binary::ArrayBuilder{Type::integer}, binary::ArrayBuilder{Type::integer},
        binary::ArrayBuilder{Type::text},    binary::ArrayBuilder{Type::boolean}};
};

IncomingBatch incoming_batch(const std::vector<PolledArticle>& articles,
                             const std::vector<std::string>& hashes, const StoredHashes& stored,
                             std::vector<std::optional<std::string>> search_vectors,
                             bool keep_page_state) {
    IncomingBatch batch;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < articles.size(); ++i)
        if (seen.insert(articles[i].item.guid).second)
            batch.add_article(articles[i], static_cast<int>(i), hashes[i], stored, keep_page_state,
                              std::move(search_vectors[i]));
    return batch;
}

// The batch's story assignments as the upsert's arrays ($4, $5), by the batch's order.
struct AssignedStories {
    std::string ords, story_ids;
};

AssignedStories assigned_stories(const std::vector<std::optional<StoryAssignment>>& stories,
                                 const std::vector<int>& ords) {
    std::vector<std::int64_t> assigned_ords, story_ids;
    for (int ord : ords)
        if (const auto& story = stories[static_cast<std::size_t>(ord)]) {
            assigned_ords.push_back(ord);
            story_ids.push_back(story->story_id);
        }
    return {to_int_array(assigned_ords), to_int_array(story_ids)};
}

} // namespace

void prepare_article_writer(pqxx::connection& connection) {
    try {
        // for the values of columns that name no compression (the articles' texts name lz4)
        pqxx::nontransaction tx{connection};
        tx.exec0("SET default_toast_compression = 'lz4'");
    } catch (const pqxx::sql_error& error) {
        log::debug("lz4 unavailable; pglz is used", {log::field("error", error.what())});
    }
    connection.prepare("upsert_articles", k_upsert);
    connection.prepare("stored_content_hashes", k_stored_hashes);
    connection.prepare("declined_search_vectors", k_declined_search_vectors);
    StoryAssigner::prepare(connection);
}

WriteCounts write_articles(pqxx::transaction_base& tx, std::int64_t feed_id,
                           const std::vector<PolledArticle>& articles, StoryAssigner& stories,
                           const WriteSource& source, SearchVectors* search) {
    WriteCounts counts;
    if (articles.empty())
        return counts;
    auto already_stored = stored_hashes(tx, feed_id, articles);
    std::vector<std::string> hashes;
    hashes.reserve(articles.size());
    for (const auto& article : articles)
        hashes.push_back(content_hash(article));
    if (all_unchanged(articles, hashes, already_stored))
        return counts;
    auto incoming =
        incoming_batch(articles, hashes, already_stored,
                       new_search_vectors(tx, articles, already_stored, search), source.reparse);
    // A changed article's row stays locked by the upsert until the commit; `restory` and the
    // retention, which take the story lock and then change stored articles, would deadlock with
    // a writer holding that row while it waits for the lock. Such a batch takes the lock first.
    LockTiming story_lock = changes_stored(articles, hashes, already_stored)
                                ? LockTiming::at_assignment
                                : source.story_lock;
    auto assigned =
        assigned_stories(stories.assign(tx, articles, already_stored, story_lock), incoming.ords());
    std::vector<StoredStoryArticle> stored;
    for (const auto& row :
         incoming.upsert(tx, feed_id, source, assigned.ords, assigned.story_ids)) {
        WrittenArticle written{row[0].as<std::int64_t>(), row[3].as<std::size_t>(),
                               row[1].as<bool>(), row[2].as<bool>()};
        if (written.is_new)
            stored.push_back(
                {written.id, row[4].as<std::int64_t>(),
                 std::chrono::sys_seconds{std::chrono::seconds{row[5].as<long long>()}},
                 written.index});
        counts.inserted += written.is_new ? 1 : 0;
        counts.updated += written.is_new ? 0 : 1;
        counts.duplicates += written.is_new && written.is_duplicate ? 1 : 0;
        counts.written.push_back(written);
        for (const auto& match : articles[written.index].topics)
            ++counts.topic_hits[match.topic];
    }
    stories.write_stories(tx, feed_id, std::move(stored));
    return counts;
}

} // namespace newsmon::store

#include "store/story_store.hpp"

#include <set>

#include "tag/article_text.hpp"

namespace newsmon::store {
namespace {

// Rows another instance committed out of order (a lower seq, later) are still read if they
// fall within this many of the highest one read.
constexpr std::int64_t k_seq_lookback = 64;

// New articles of one poll compared with the others; past this many (a feed dumping its
// archive, or a hostile one) each opens a story of its own, which `newsmon restory` can group.
constexpr std::size_t k_max_compared_per_batch = 2000;

// The window's signatures, read once by a process; then, before each batch, the rows written
// since (by seq alone: with the window's condition too, the planner may walk the window).
// This instance's own rows ($2) are read without their signature, which it holds already.
constexpr const char* k_signatures_of_window = R"sql(
SELECT article_id, story_id, extract(epoch FROM published_at)::bigint, encode(signature, 'hex'),
       seq
  FROM story_signatures
 WHERE published_at > now() - $1::bigint * interval '1 second'
)sql";

constexpr const char* k_signatures_since = R"sql(
SELECT article_id, story_id, extract(epoch FROM published_at)::bigint,
       CASE WHEN article_id = ANY($2::bigint[]) THEN NULL ELSE encode(signature, 'hex') END, seq
  FROM story_signatures
 WHERE seq > $1
)sql";

constexpr const char* k_update_stories = R"sql(
WITH counted AS (
    SELECT a.story_id,
           (array_agg(a.id ORDER BY a.published_at, a.id))[1] AS first_article_id,
           min(a.published_at) AS first_seen_at, max(a.published_at) AS last_seen_at,
           count(*)::integer AS article_count, count(DISTINCT a.feed_id)::integer AS feed_count,
           COALESCE(array_agg(DISTINCT a.language ORDER BY a.language)
                        FILTER (WHERE a.language IS NOT NULL AND a.language <> ''), '{}')
               AS languages,
           (array_agg(a.title ORDER BY a.published_at, a.id))[1] AS title,
           -- the tags as counted, less the deltas not folded yet, which the fold will add (a
           -- moved article's delta stays filed under its old story, so a count may stay
           -- negative until then). Deleting those deltas here instead would wait on a
           -- `rollups rebuild` that deleted them and then waits on these stories.
           COALESCE((SELECT jsonb_object_agg(topic, n)
                       FROM (SELECT d.topic, sum(d.n) AS n
                               FROM (SELECT t.topic, 1 AS n
                                       FROM articles m JOIN article_topics t ON t.article_id = m.id
                                      WHERE m.story_id = a.story_id
                                     UNION ALL
                                     SELECT c.topic, -c.articles
                                       FROM story_topic_changes c
                                      WHERE c.story_id = a.story_id) d
                              GROUP BY d.topic
                             HAVING sum(d.n) <> 0) per_topic), '{}') AS topic_articles
      FROM articles a
     WHERE a.story_id = ANY($1::bigint[])
     GROUP BY a.story_id
), emptied AS (
    DELETE FROM stories s
     WHERE s.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.story_id = s.id)
)
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count, feed_count,
                     languages, title, topic_articles)
SELECT story_id, first_article_id, first_seen_at, last_seen_at, article_count, feed_count,
       languages, title, topic_articles
  FROM counted
ON CONFLICT ON CONSTRAINT stories_pkey DO UPDATE
   SET first_article_id = EXCLUDED.first_article_id, first_seen_at = EXCLUDED.first_seen_at,
       last_seen_at = EXCLUDED.last_seen_at, article_count = EXCLUDED.article_count,
       feed_count = EXCLUDED.feed_count, languages = EXCLUDED.languages, title = EXCLUDED.title,
       topic_articles = EXCLUDED.topic_articles
)sql";

// Two writers adding to one story each count its articles from their own snapshot, and the later
// upsert would write a count without the other's article. Locking the story rows first (in id
// order, so writers never deadlock) makes the later writer wait, and its count statement then
// starts after the earlier one committed and sees its articles.
constexpr const char* k_lock_stories = R"sql(
SELECT id FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE
)sql";

// pg_advisory_xact_lock key, the bytes of "nmstorys": one writer assigns stories at a time, from
// reading the signatures stored so far until its transaction commits its own. Without it two
// writers (threads or instances) storing reports of one new event at the same instant each
// miss the other's uncommitted report and each open a story.
constexpr long long k_assignment_lock = 0x6e6d73746f727973;

// Articles of the batch being assigned stand in the index under these until stored.
std::int64_t provisional_id(std::size_t index) {
    return -static_cast<std::int64_t>(index) - 1;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

std::string to_hex(std::string_view bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        hex += k_digits[byte >> 4];
        hex += k_digits[byte & 0x0F];
    }
    return hex;
}

std::string from_hex(std::string_view hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        int high = hex_value(hex[i]), low = hex_value(hex[i + 1]);
        if (high < 0 || low < 0)
            return {};
        bytes += static_cast<char>(high * 16 + low);
    }
    return bytes;
}

stories::Signature signature_of(const PolledArticle& article) {
    if (article.signature)
        return *article.signature;
    std::string full_text =
        article.content_text.empty() ? tag::feed_full_text(article.item) : article.content_text;
    return stories::make_signature(article.item.title,
                                   tag::article_body(article.item.summary, full_text),
                                   tag::language_of(article.language));
}

void StoryAssigner::prepare(pqxx::connection& connection) {
    connection.prepare("story_signatures_of_window", k_signatures_of_window);
    connection.prepare("story_signatures_since", k_signatures_since);
}

void StoryAssigner::refresh(pqxx::work& tx) {
    pqxx::result rows;
    if (m_loaded) {
        std::vector<std::int64_t> own_ids;
        own_ids.reserve(m_own_rows.size());
        for (const auto& [seq, article_id] : m_own_rows)
            own_ids.push_back(article_id);
        rows = tx.exec_prepared("story_signatures_since", m_cursor - k_seq_lookback,
                                to_int_array(own_ids));
    } else {
        rows = tx.exec_prepared("story_signatures_of_window",
                                static_cast<long long>(m_index.window().count()));
    }
    for (const auto& row : rows) {
        auto article_id = row[0].as<std::int64_t>();
        auto story_id = row[1].as<std::int64_t>();
        m_cursor = std::max(m_cursor, row[4].as<std::int64_t>());
        if (m_index.story_of(article_id) == story_id || row[3].is_null())
            continue;
        m_index.add({article_id, story_id,
                     std::chrono::sys_seconds{std::chrono::seconds{row[2].as<long long>()}},
                     stories::from_bytes(from_hex(row[3].as<std::string>()))});
    }
    m_loaded = true;
    // own rows the next read can no longer reach need not be named in it
    m_own_rows.erase(m_own_rows.begin(), m_own_rows.upper_bound({m_cursor - k_seq_lookback, 0}));
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    m_index.forget_before(now - m_index.window());
}

std::vector<std::optional<StoryAssignment>>
StoryAssigner::assign(pqxx::work& tx, const std::vector<PolledArticle>& articles,
                      const StoredHashes& stored) {
    std::vector<std::optional<StoryAssignment>> assignments(articles.size());
    m_batch_signatures.assign(articles.size(), {});
    std::vector<std::size_t> fresh;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < articles.size(); ++i)
        if (!stored.count(std::string_view(articles[i].item.guid)) &&
            seen.insert(articles[i].item.guid).second)
            fresh.push_back(i);
    if (fresh.empty())
        return assignments;
    if (m_index.window().count() <= 0) { // clustering off: each article a story of its own
        for (std::size_t n = 0; n < fresh.size(); ++n)
            assignments[fresh[n]] = StoryAssignment{-static_cast<std::int64_t>(n) - 1, ""};
        return assignments;
    }
    lock_story_assignment(tx);
    refresh(tx);
    // Each new article is compared with the stored ones and with those of the batch before it,
    // which enter the index under provisional ids (negative, as are the stories they open
    // until the insert draws real ids) and leave it again: record() adds them as stored.
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<std::int64_t> story_of(articles.size());
    std::int64_t opened = 0;
    std::size_t compared = 0;
    for (std::size_t i : fresh) {
        if (++compared > k_max_compared_per_batch) {
            story_of[i] = -(++opened); // a hostile or archive-sized batch: its own story
            continue;
        }
        m_batch_signatures[i] = signature_of(articles[i]);
        auto published = articles[i].item.published.value_or(now);
        auto match = m_index.nearest(m_batch_signatures[i], published);
        story_of[i] = match ? match->story_id : -(++opened);
        m_index.add({provisional_id(i), story_of[i], published, m_batch_signatures[i]});
    }
    for (std::size_t i : fresh) {
        m_index.remove(provisional_id(i));
        // an article past the comparison limit has no signature to store
        bool compared_article =
            !m_batch_signatures[i].words.empty() || !m_batch_signatures[i].names.empty() ||
            !m_batch_signatures[i].numbers.empty() || !m_batch_signatures[i].years.empty();
        assignments[i] = StoryAssignment{
            story_of[i], compared_article ? to_hex(stories::to_bytes(m_batch_signatures[i])) : ""};
    }
    return assignments;
}

void StoryAssigner::record(const std::vector<StoredStoryArticle>& stored) {
    for (const auto& article : stored) {
        if (article.signature_seq > 0)
            m_own_rows.insert({article.signature_seq, article.article_id});
        if (article.index < m_batch_signatures.size() &&
            !m_batch_signatures[article.index].words.empty())
            m_index.add({article.article_id, article.story_id, article.published,
                         m_batch_signatures[article.index]});
    }
}

void lock_story_assignment(pqxx::work& tx) {
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", k_assignment_lock);
}

void update_story_rows(pqxx::work& tx, const std::vector<std::int64_t>& story_ids) {
    auto ids = to_int_array(story_ids);
    tx.exec_params(k_lock_stories, ids);
    tx.exec_params0(k_update_stories, ids);
}

} // namespace newsmon::store

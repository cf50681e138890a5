#include "store/story_store.hpp"

#include <map>
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

// Under the lock, after the batch's articles are inserted ($2, their ids; $3 their signatures in
// hex, '' for none): their stories' rows (counts added, first article and times moved), the
// stories' part of the topic rollups (0016_topic_rollups.sql: a story counts at its first
// article's topics, feed and hour), and their signature rows, whose seq is drawn here so that
// seq follows the order writers commit in. The stories are read as the lock's holders left them:
// only they write these rows. A feed is polled by one writer at a time, so whether it already had
// an article in the story is read from the feed's other articles.
constexpr const char* k_write_stories = R"sql(
WITH batch AS (
    SELECT a.id, a.story_id, a.published_at, a.language, a.title,
           a.duplicate_of IS NOT NULL AS is_duplicate
      FROM articles a
     WHERE a.id = ANY($2::bigint[])
), story_additions AS (
    SELECT n.story_id, count(*)::integer AS article_count,
           (array_agg(n.id ORDER BY n.published_at, n.id))[1] AS first_article_id,
           min(n.published_at) AS first_seen_at, max(n.published_at) AS last_seen_at,
           COALESCE(array_agg(DISTINCT n.language ORDER BY n.language)
                        FILTER (WHERE n.language IS NOT NULL AND n.language <> ''), '{}')
               AS languages,
           (array_agg(n.title ORDER BY n.published_at, n.id))[1] AS title,
           CASE WHEN EXISTS (SELECT 1 FROM articles o
                              WHERE o.story_id = n.story_id AND o.feed_id = $1
                                AND o.id <> ALL($2::bigint[]))
                THEN 0 ELSE 1 END AS new_feeds
      FROM batch n
     GROUP BY n.story_id
), stories_written AS (
    INSERT INTO stories AS s (id, first_article_id, first_seen_at, last_seen_at, article_count,
                              feed_count, languages, title)
    SELECT story_id, first_article_id, first_seen_at, last_seen_at, article_count, new_feeds,
           languages, title
      FROM story_additions
    ON CONFLICT ON CONSTRAINT stories_pkey DO UPDATE
       SET article_count = s.article_count + EXCLUDED.article_count,
           feed_count = s.feed_count + EXCLUDED.feed_count,
           first_article_id = CASE WHEN (EXCLUDED.first_seen_at, EXCLUDED.first_article_id)
                                        < (s.first_seen_at, s.first_article_id)
                                   THEN EXCLUDED.first_article_id ELSE s.first_article_id END,
           title = CASE WHEN (EXCLUDED.first_seen_at, EXCLUDED.first_article_id)
                             < (s.first_seen_at, s.first_article_id)
                        THEN EXCLUDED.title ELSE s.title END,
           first_seen_at = least(s.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = greatest(s.last_seen_at, EXCLUDED.last_seen_at),
           languages = ARRAY(SELECT DISTINCT l FROM unnest(s.languages || EXCLUDED.languages) l
                              ORDER BY l)
), first_replaced AS (
    -- stored stories whose first article becomes one of the batch's, as stories_written decides
    SELECT s.id AS story_id, s.first_article_id AS old_first
      FROM story_additions sa JOIN stories s ON s.id = sa.story_id
     WHERE (sa.first_seen_at, sa.first_article_id) < (s.first_seen_at, s.first_article_id)
), rollup_changes AS (
    INSERT INTO topic_hourly_changes (topic, feed_id, hour, articles, stories)
    SELECT d.topic, d.feed_id, d.hour, 0, sum(d.stories)::integer
      FROM (-- a replaced first article no longer counts its story (at its topics as they are
            -- now: the batch may have changed them, and took off what they counted before)
            SELECT t.topic, a.feed_id, date_trunc('hour', a.published_at, 'UTC') AS hour,
                   -1 AS stories
              FROM first_replaced f
              JOIN articles a ON a.id = f.old_first
              JOIN article_topics t ON t.article_id = a.id
             WHERE a.duplicate_of IS NULL
            UNION ALL
            -- a new article counts the story it opens or becomes the first of
            SELECT t.topic, $1, date_trunc('hour', n.published_at, 'UTC'), 1
              FROM batch n
              JOIN story_additions sa ON sa.story_id = n.story_id AND sa.first_article_id = n.id
              JOIN article_topics t ON t.article_id = n.id
              LEFT JOIN stories s ON s.id = n.story_id
              LEFT JOIN first_replaced f ON f.story_id = n.story_id
             WHERE NOT n.is_duplicate AND (s.id IS NULL OR f.story_id IS NOT NULL)) d
     GROUP BY d.topic, d.feed_id, d.hour
    HAVING sum(d.stories) <> 0
)
INSERT INTO story_signatures (article_id, story_id, published_at, signature)
SELECT n.id, n.story_id, n.published_at, decode(v.signature, 'hex')
  FROM batch n
  JOIN unnest($2::bigint[], $3::text[]) AS v(article_id, signature) ON v.article_id = n.id
 WHERE v.signature <> ''
 ORDER BY n.id
RETURNING article_id, seq
)sql";

// Whether one of the batch's new articles ($1), stored as an original, repeats by the upsert's
// rules (canonical URL; title within 48 hours) an article another feed committed after the
// batch was written: written under the lock, it would have been stored as its republication.
constexpr const char* k_missed_originals = R"sql(
SELECT EXISTS (
    SELECT 1 FROM articles n
     WHERE n.id = ANY($1::bigint[]) AND n.duplicate_of IS NULL
       AND (EXISTS (SELECT 1 FROM articles o
                     WHERE o.canonical_url = n.canonical_url AND o.feed_id <> n.feed_id
                       AND o.duplicate_of IS NULL)
            OR EXISTS (SELECT 1 FROM articles o
                        WHERE n.title_key <> '' AND o.title_key = n.title_key
                          AND o.title_key <> '' AND o.feed_id <> n.feed_id
                          AND o.duplicate_of IS NULL
                          AND abs(extract(epoch FROM o.published_at - n.published_at))
                              <= 48 * 3600)))
)sql";

// pg_advisory_xact_lock key, the bytes of "nmstorys": one writer assigns stories at a time (see
// the header).
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
    connection.prepare("write_stories", k_write_stories);
    connection.prepare("story_missed_originals", k_missed_originals);
}

void StoryAssigner::refresh(pqxx::transaction_base& tx) {
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

std::vector<std::int64_t> StoryAssigner::decide() {
    // Each new article is compared with the stored ones and with those of the batch before it,
    // which enter the index under provisional ids (negative, as are the stories they open
    // until the insert draws real ids) and leave it again: write_held() adds them as stored.
    std::vector<std::int64_t> story_of(m_batch_signatures.size());
    std::int64_t opened = 0;
    std::size_t compared = 0;
    for (std::size_t i : m_fresh) {
        if (++compared > k_max_compared_per_batch) {
            story_of[i] = -(++opened); // a hostile or archive-sized batch: its own story
            continue;
        }
        auto match = m_index.nearest(m_batch_signatures[i], m_batch_published[i]);
        story_of[i] = match ? match->story_id : -(++opened);
        m_index.add({provisional_id(i), story_of[i], m_batch_published[i], m_batch_signatures[i]});
    }
    for (std::size_t i : m_fresh)
        m_index.remove(provisional_id(i));
    return story_of;
}

std::vector<std::optional<StoryAssignment>>
StoryAssigner::assign(pqxx::transaction_base& tx, const std::vector<PolledArticle>& articles,
                      const StoredHashes& stored, LockTiming timing) {
    std::vector<std::optional<StoryAssignment>> assignments(articles.size());
    m_locked = false;
    m_held.clear();
    m_fresh.clear();
    m_story_of.assign(articles.size(), 0);
    m_batch_signatures.assign(articles.size(), {});
    m_batch_published.assign(articles.size(), {});
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < articles.size(); ++i)
        if (!stored.count(std::string_view(articles[i].item.guid)) &&
            seen.insert(articles[i].item.guid).second)
            m_fresh.push_back(i);
    if (m_fresh.empty())
        return assignments;
    if (m_index.window().count() <= 0) { // clustering off: each article a story of its own
        for (std::size_t n = 0; n < m_fresh.size(); ++n)
            assignments[m_fresh[n]] = StoryAssignment{-static_cast<std::int64_t>(n) - 1};
        return assignments;
    }
    if (timing == LockTiming::at_assignment) {
        lock_story_assignment(tx);
        m_locked = true;
    }
    refresh(tx);
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (std::size_t n = 0; n < m_fresh.size() && n < k_max_compared_per_batch; ++n) {
        std::size_t i = m_fresh[n];
        m_batch_signatures[i] = signature_of(articles[i]);
        m_batch_published[i] = articles[i].item.published.value_or(now);
    }
    m_story_of = decide();
    for (std::size_t i : m_fresh)
        assignments[i] = StoryAssignment{m_story_of[i]};
    return assignments;
}

void StoryAssigner::write_stories(pqxx::transaction_base& tx, std::int64_t feed_id,
                                  std::vector<StoredStoryArticle> stored) {
    m_held_feed = feed_id;
    m_held = std::move(stored);
    if (m_locked || m_index.window().count() <= 0)
        write_held(tx);
}

bool StoryAssigner::confirm(pqxx::transaction_base& tx) {
    if (m_held.empty())
        return true;
    lock_story_assignment(tx);
    m_locked = true;
    refresh(tx);
    if (decide() != m_story_of || missed_an_original(tx)) {
        m_held.clear();
        return false;
    }
    write_held(tx);
    return true;
}

bool StoryAssigner::missed_an_original(pqxx::transaction_base& tx) const {
    std::vector<std::int64_t> ids;
    ids.reserve(m_held.size());
    for (const auto& article : m_held)
        ids.push_back(article.article_id);
    return tx.exec_prepared1("story_missed_originals", to_int_array(ids))[0].as<bool>();
}

void StoryAssigner::write_held(pqxx::transaction_base& tx) {
    if (m_held.empty())
        return;
    // an article past the comparison limit has no signature to store
    auto has_signature = [](const stories::Signature& signature) {
        return !signature.words.empty() || !signature.names.empty() || !signature.numbers.empty() ||
               !signature.years.empty();
    };
    std::vector<std::int64_t> ids;
    std::vector<std::string> signatures;
    for (const auto& article : m_held) {
        ids.push_back(article.article_id);
        const auto& signature = m_batch_signatures[article.index];
        signatures.push_back(has_signature(signature) ? to_hex(stories::to_bytes(signature)) : "");
    }
    std::map<std::int64_t, std::int64_t> seq_of;
    for (const auto& row : tx.exec_prepared("write_stories", m_held_feed, to_int_array(ids),
                                            to_text_array(signatures)))
        seq_of[row[0].as<std::int64_t>()] = row[1].as<std::int64_t>();
    // the new articles enter the index with the stories they got
    for (const auto& article : m_held) {
        if (auto seq = seq_of.find(article.article_id); seq != seq_of.end())
            m_own_rows.insert({seq->second, article.article_id});
        if (!m_batch_signatures[article.index].words.empty())
            m_index.add({article.article_id, article.story_id, article.published,
                         m_batch_signatures[article.index]});
    }
    m_held.clear();
}

void lock_story_assignment(pqxx::transaction_base& tx) {
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", k_assignment_lock);
}

void update_story_rows(pqxx::work& tx, const std::vector<std::int64_t>& story_ids) {
    auto ids = to_int_array(story_ids);
    tx.exec_params(k_lock_stories, ids);
    tx.exec_params0(k_update_stories, ids);
}

} // namespace newsmon::store

-- Each story's topics, kept on its row: stories.topic_articles maps a topic to how many of the
-- story's articles (republications included) are tagged with it, {} for a story with none.
-- Counting the stories of a topic by day no longer walks a month of articles and their topics
-- (1.1 s at 5,000,000 articles for sql/queries/11_stories_per_topic_per_day.sql); it reads the
-- month's tagged stories.
--
-- Kept as the topic rollups are: a transaction that tags or untags articles (the writer, a
-- fetched page, reparse) appends signed deltas per story and topic to story_topic_changes (no
-- key: it locks no story row, so writers, pages, restory and retention never wait on each
-- other for it); the daemon folds them into the stories after each poll cycle, skipping the
-- stories another transaction holds. Restory recounts the stories it touches and drops their
-- deltas; an article deleted with its story (retention) needs nothing (the fold drops deltas
-- of stories gone). `newsmon rollups rebuild` recounts them all, as `retag` does at its end.
-- Readers add the deltas not folded yet (example 11 does).
--
-- (Triggers on article_topics would keep them whoever writes, but cost the writer a fifth to a
-- third of its rate; updating the story rows in the writer's statement and around a page made
-- writers, pages, restory and retention lock story rows and articles in orders that deadlock.)
-- The deltas' table is migration 0026's.
ALTER TABLE stories ADD COLUMN topic_articles jsonb NOT NULL DEFAULT '{}';

-- The sum of two counts per topic, topics counted to zero or below left out.
CREATE FUNCTION topic_counts_add(counts jsonb, change jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(jsonb_object_agg(topic, total ORDER BY topic) FILTER (WHERE total > 0), '{}')
      FROM (SELECT topic, sum(n::integer) AS total
              FROM (SELECT * FROM jsonb_each_text(counts)
                    UNION ALL
                    SELECT * FROM jsonb_each_text(change)) c(topic, n)
             GROUP BY topic) t
$$;

-- A story's counts as rows, for analysts' queries: `FROM stories s, topic_counts(s.topic_articles)`.
-- STRICT keeps PostgreSQL from inlining it, so that the planner takes a story for two rows, not
-- jsonb_each_text's hundred (which made it plan a month of stories as three million rows and
-- compile the query, 37 ms of JIT before a 28 ms answer).
CREATE FUNCTION topic_counts(counts jsonb) RETURNS TABLE (topic text, articles integer)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 2 AS $$
    SELECT key, value::integer FROM jsonb_each_text(counts)
$$;

-- What the stored tags count now.
UPDATE stories s
   SET topic_articles = c.counts
  FROM (SELECT story_id, jsonb_object_agg(topic, n ORDER BY topic) AS counts
          FROM (SELECT a.story_id, t.topic, count(*) AS n
                  FROM article_topics t JOIN articles a ON a.id = t.article_id
                 WHERE a.story_id IS NOT NULL
                 GROUP BY 1, 2) per_topic
         GROUP BY story_id) c
 WHERE s.id = c.story_id;

-- The stories with a topic, by their first report; the counts ride along for index-only reads.
CREATE INDEX stories_tagged_first_seen_idx ON stories (first_seen_at DESC)
    INCLUDE (topic_articles) WHERE topic_articles <> '{}';

-- A story's articles with their feed and language, read from the index alone: example 10 (each
-- feed that carried a week's stories) fetched 7,734 stories' articles from the heap at
-- 5,000,000 articles, 43,000 pages for 30,000 rows (about 180 ms; 110-130 ms from this index).
CREATE INDEX articles_story_cover_idx ON articles (story_id, published_at)
    INCLUDE (feed_id, language);
DROP INDEX articles_story_idx;
ALTER INDEX articles_story_cover_idx RENAME TO articles_story_idx;

-- ANALYZE reads 30,000 rows and, from a sample that small, takes a column of one value per one
-- or two rows for one with few values: at 5,000,000 articles it counted 128,223 stories among
-- 2,644,205 and planned each story's articles as 39 rows instead of two (examples 10 and 11
-- chose full scans, and psql's JIT compiled them, 150 ms). Stories hold two articles each, more
-- or less; the planner is told so.
--
-- An empty table is not analyzed: ANALYZE would record it as holding no rows, where one never
-- analyzed counts as ten pages until autovacuum comes by. Planned as empty, the foreign-key
-- checks that every new topic row makes (cached per connection, like any prepared plan) read
-- the whole table instead of its primary key, so a new install's first cycle slowed as it grew.
ALTER TABLE articles ALTER COLUMN story_id SET (n_distinct = -0.5);
DO $$
BEGIN
    IF EXISTS (SELECT FROM articles) THEN
        ANALYZE articles (story_id);
    END IF;
END
$$;

-- Two more rollups kept at ingest beside topic_hourly (0016_topic_rollups.sql), so that the
-- questions "which feeds carry a topic" and "which topics come together" never join a month of
-- articles to their topics:
--   topic_feed_hourly: tagged articles per topic, feed and UTC hour of publication;
--   topic_pair_hourly: articles tagged with both topics of a pair (topic_a < topic_b), per
--                      UTC hour of publication.
-- Both leave republications (duplicate_of) out, as topic_hourly does.
--
-- The per-feed deltas travel in topic_hourly_changes, which gains the article's feed: its rows
-- still add up per topic and hour as before. A row written before this migration has no feed;
-- the fill below already counts its articles, so the fold and the readers pass it over for
-- topic_feed_hourly. The pairs have their own deltas, topic_pair_hourly_changes, appended and
-- folded in the same transactions as the topics'. Readers add table and deltas up.
ALTER TABLE topic_hourly_changes ADD COLUMN feed_id bigint;

-- Keyed by hour first: readers ask for a window of hours across all topics and feeds.
CREATE TABLE topic_feed_hourly (
    hour     timestamptz NOT NULL,
    topic    text        NOT NULL,
    feed_id  bigint      NOT NULL,
    articles integer     NOT NULL,
    CONSTRAINT topic_feed_hourly_pkey PRIMARY KEY (hour, topic, feed_id)
);

CREATE TABLE topic_pair_hourly (
    hour     timestamptz NOT NULL,
    topic_a  text        NOT NULL,
    topic_b  text        NOT NULL,
    articles integer     NOT NULL,
    CONSTRAINT topic_pair_hourly_pkey PRIMARY KEY (hour, topic_a, topic_b),
    CONSTRAINT topic_pair_hourly_ordered CHECK (topic_a < topic_b)
);

CREATE TABLE topic_pair_hourly_changes (
    hour     timestamptz NOT NULL,
    topic_a  text        NOT NULL,
    topic_b  text        NOT NULL,
    articles integer     NOT NULL
);

INSERT INTO topic_feed_hourly (hour, topic, feed_id, articles)
SELECT date_trunc('hour', a.published_at, 'UTC'), t.topic, a.feed_id, count(*)
  FROM article_topics t
  JOIN articles a ON a.id = t.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2, 3;

INSERT INTO topic_pair_hourly (hour, topic_a, topic_b, articles)
SELECT date_trunc('hour', a.published_at, 'UTC'), x.topic, y.topic, count(*)
  FROM article_topics x
  JOIN article_topics y ON y.article_id = x.article_id AND x.topic < y.topic
  JOIN articles a ON a.id = x.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2, 3;

-- the planner's first idea of their size, before autovacuum has come by (not of empty tables:
-- analyzed empty, they would be planned as empty until autovacuum analyzed them again)
DO $$
BEGIN
    IF EXISTS (SELECT FROM topic_feed_hourly) THEN
        ANALYZE topic_feed_hourly;
    END IF;
    IF EXISTS (SELECT FROM topic_pair_hourly) THEN
        ANALYZE topic_pair_hourly;
    END IF;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON topic_feed_hourly, topic_pair_hourly, topic_pair_hourly_changes
           TO newsmon_analyst;
    END IF;
END
$$;

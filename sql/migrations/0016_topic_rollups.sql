-- Per-topic hourly counts kept at ingest, so that the dashboard, the web API's topic counts and
-- topic_daily never scan the articles table.
--
-- For each topic and UTC hour (date_trunc('hour', published_at, 'UTC')):
--   articles: tagged articles published in that hour, republications (duplicate_of) left out;
--   stories:  those of them that are their story's first article (stories.first_article_id),
--             that is the stories opened in that hour with the topic on their first report.
--             Stories opened add up across hours into days and weeks, where a count of the
--             distinct stories seen in each hour would count a story running for three hours
--             three times in its day.
--
-- A transaction that stores articles only appends signed deltas to topic_hourly_changes (no
-- key, no index: two writers never share a row or a lock); the daemon folds them into
-- topic_hourly after each poll cycle. Readers add both tables up, so their counts are exact
-- before the fold as after. `newsmon rollups rebuild` recounts both from the articles.
CREATE TABLE topic_hourly (
    topic    text        NOT NULL,
    hour     timestamptz NOT NULL,
    articles integer     NOT NULL,
    stories  integer     NOT NULL,
    CONSTRAINT topic_hourly_pkey PRIMARY KEY (topic, hour)
);

CREATE TABLE topic_hourly_changes (
    topic    text        NOT NULL,
    hour     timestamptz NOT NULL,
    articles integer     NOT NULL,
    stories  integer     NOT NULL
);

INSERT INTO topic_hourly (topic, hour, articles, stories)
SELECT t.topic, date_trunc('hour', a.published_at, 'UTC'), count(*),
       count(*) FILTER (WHERE s.first_article_id = a.id)
  FROM article_topics t
  JOIN articles a ON a.id = t.article_id
  LEFT JOIN stories s ON s.id = a.story_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2;

-- Articles per topic and day (UTC, by publication time), republications counted once; and the
-- stories opened that day with the topic on their first report. Read from the rollups.
CREATE OR REPLACE VIEW topic_daily AS
SELECT (r.hour AT TIME ZONE 'UTC')::date AS day, r.topic, sum(r.articles)::bigint AS articles,
       sum(r.stories)::bigint AS stories
  FROM (SELECT topic, hour, articles, stories FROM topic_hourly
        UNION ALL
        SELECT topic, hour, articles, stories FROM topic_hourly_changes) r
 GROUP BY 1, 2
HAVING sum(r.articles) <> 0;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON topic_hourly, topic_hourly_changes TO newsmon_analyst;
    END IF;
END
$$;

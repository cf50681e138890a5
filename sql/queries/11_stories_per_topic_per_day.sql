-- Stories per topic and day (UTC, by the story's first report) over the last 30 days: an event
-- covered by twelve outlets counts once, where topic_daily counts its articles. A story counts
-- for a topic when any of its articles, republications included, is tagged with it; `articles`
-- adds up those tagged articles.
--
-- stories.topic_articles holds each story's count of tagged articles per topic ({} for none),
-- and topic_counts() turns it into rows; story_topic_changes holds what was tagged since the
-- daemon last folded it in (after each poll cycle). This reads the month's tagged stories and
-- no article.
WITH tags AS (
    SELECT s.id, s.first_seen_at, t.topic, t.articles
      FROM stories s
     CROSS JOIN LATERAL topic_counts(s.topic_articles) t
     WHERE s.first_seen_at > now() - interval '30 days'
       AND s.topic_articles <> '{}'
    UNION ALL
    SELECT s.id, s.first_seen_at, c.topic, c.articles
      FROM story_topic_changes c
      JOIN stories s ON s.id = c.story_id
     WHERE s.first_seen_at > now() - interval '30 days'
), per_story AS (
    SELECT id, first_seen_at, topic, sum(articles) AS articles
      FROM tags
     GROUP BY 1, 2, 3
    HAVING sum(articles) > 0
)
SELECT (first_seen_at AT TIME ZONE 'UTC')::date AS day, topic,
       count(*) AS stories, sum(articles) AS articles
  FROM per_story
 GROUP BY 1, 2
 ORDER BY 1 DESC, 2;

-- Stories per topic and day (UTC, by the story's first report) over the last 30 days: an event
-- covered by twelve outlets counts once, where topic_daily counts its articles. A story counts
-- for a topic when any of its articles, republications included, is tagged with it.
--
-- A story's first_seen_at is the earliest publication time of its articles, so the bound on
-- a.published_at drops no article and lets the planner find them by (story_id, published_at)
-- instead of scanning all articles. One exception: a feed that moves an item's date earlier
-- leaves its story's first_seen_at as it was until `newsmon restory`, and such an article,
-- redated to more than 30 days ago, is left out.
SELECT (s.first_seen_at AT TIME ZONE 'UTC')::date AS day, t.topic,
       count(DISTINCT s.id) AS stories, count(DISTINCT a.id) AS articles
  FROM stories s
  JOIN articles a ON a.story_id = s.id
  JOIN article_topics t ON t.article_id = a.id
 WHERE s.first_seen_at > now() - interval '30 days'
   AND a.published_at > now() - interval '30 days'
 GROUP BY 1, 2
 ORDER BY 1 DESC, 2;

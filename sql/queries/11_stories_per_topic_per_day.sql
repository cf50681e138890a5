-- Stories per topic and day (UTC, by the story's first report): an event covered by twelve
-- outlets counts once, where topic_daily counts its articles.
SELECT (s.first_seen_at AT TIME ZONE 'UTC')::date AS day, t.topic,
       count(DISTINCT s.id) AS stories, count(DISTINCT a.id) AS articles
  FROM stories s
  JOIN articles a ON a.story_id = s.id
  JOIN article_topics t ON t.article_id = a.id
 WHERE s.first_seen_at > now() - interval '30 days'
 GROUP BY 1, 2
 ORDER BY 1 DESC, 2;

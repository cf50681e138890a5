-- Stories per topic and day (UTC, by the story's first report) over the last 30 days: an event
-- covered by twelve outlets counts once, where topic_daily counts its articles. A story counts
-- for a topic when any of its articles, republications included, is tagged with it; `articles`
-- adds up those tagged articles.
--
-- stories.topic_articles holds each story's count of tagged articles per topic ({} for none),
-- kept as articles are tagged, and topic_counts() turns it into rows: this reads the month's
-- tagged stories and no article.
SELECT (s.first_seen_at AT TIME ZONE 'UTC')::date AS day, t.topic,
       count(*) AS stories, sum(t.articles) AS articles
  FROM stories s
 CROSS JOIN LATERAL topic_counts(s.topic_articles) t
 WHERE s.first_seen_at > now() - interval '30 days'
   AND s.topic_articles <> '{}'
 GROUP BY 1, 2
 ORDER BY 1 DESC, 2;

-- Articles per topic and ISO week over the last 12 weeks, and the stories opened in it: the
-- trend behind a dashboard panel. topic_daily reads the topic rollups, never the articles.
SELECT date_trunc('week', day)::date AS week, topic, sum(articles) AS articles,
       sum(stories) AS stories
  FROM topic_daily
 WHERE day >= (now() AT TIME ZONE 'UTC')::date - 84
 GROUP BY 1, 2
 ORDER BY week, topic;

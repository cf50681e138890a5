-- Stories per topic and ISO week over the last 12 weeks: the trend behind a dashboard panel.
SELECT date_trunc('week', day)::date AS week, topic, sum(articles) AS articles
  FROM topic_daily
 WHERE day >= (now() AT TIME ZONE 'UTC')::date - 84
 GROUP BY 1, 2
 ORDER BY week, topic;

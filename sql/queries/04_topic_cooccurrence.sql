-- How often two topics are tagged on the same story over the last 30 days (each pair once,
-- republications excluded). The window's articles come from the publication-time index; over
-- all time the query would read every tagged article.
SELECT x.topic AS topic_a, y.topic AS topic_b, count(*) AS articles
  FROM articles a
  JOIN article_topics x ON x.article_id = a.id
  JOIN article_topics y ON y.article_id = a.id AND x.topic < y.topic
 WHERE a.published_at > now() - interval '30 days'
   AND a.duplicate_of IS NULL
 GROUP BY 1, 2
 ORDER BY articles DESC, topic_a, topic_b;

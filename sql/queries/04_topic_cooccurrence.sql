-- How often two topics are tagged on the same story (each pair once, republications excluded).
SELECT x.topic AS topic_a, y.topic AS topic_b, count(*) AS articles
  FROM article_topics x
  JOIN article_topics y ON y.article_id = x.article_id AND x.topic < y.topic
  JOIN articles a ON a.id = x.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2
 ORDER BY articles DESC, topic_a, topic_b;

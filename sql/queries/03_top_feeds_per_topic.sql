-- Which feeds carry each topic most over the last 30 days (top 5 per topic).
SELECT topic, feed, articles
  FROM (SELECT t.topic, f.name AS feed, count(*) AS articles,
               row_number() OVER (PARTITION BY t.topic ORDER BY count(*) DESC, f.name) AS rank
          FROM article_topics t
          JOIN articles a ON a.id = t.article_id
          JOIN feeds f ON f.id = a.feed_id
         WHERE a.published_at > now() - interval '30 days'
         GROUP BY t.topic, f.name) ranked
 WHERE rank <= 5
 ORDER BY topic, articles DESC, feed;

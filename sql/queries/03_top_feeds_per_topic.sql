-- Which feeds carry each topic most over the last 30 days (top 5 per topic), republications
-- left out. Read from the per-feed rollups (topic_feed_hourly plus the deltas not folded yet),
-- so it never joins a month of articles to their topics; the window starts at the top of the
-- hour 30 days ago.
SELECT topic, feed, articles
  FROM (SELECT r.topic, f.name AS feed, sum(r.articles)::bigint AS articles,
               row_number() OVER (PARTITION BY r.topic
                                  ORDER BY sum(r.articles) DESC, f.name) AS rank
          FROM (SELECT topic, feed_id, articles FROM topic_feed_hourly
                 WHERE hour >= date_trunc('hour', now() - interval '30 days', 'UTC')
                UNION ALL
                SELECT topic, feed_id, articles FROM topic_hourly_changes
                 WHERE feed_id IS NOT NULL
                   AND hour >= date_trunc('hour', now() - interval '30 days', 'UTC')) r
          JOIN feeds f ON f.id = r.feed_id
         GROUP BY r.topic, f.name
        HAVING sum(r.articles) > 0) ranked
 WHERE rank <= 5
 ORDER BY topic, articles DESC, feed;

-- How often two topics are tagged on the same article over the last 30 days (each pair once,
-- republications left out). Read from the pair rollups (topic_pair_hourly plus the deltas not
-- folded yet), so the time it takes does not grow with the archive or the window's articles;
-- the window starts at the top of the hour 30 days ago.
SELECT topic_a, topic_b, sum(articles)::bigint AS articles
  FROM (SELECT topic_a, topic_b, articles FROM topic_pair_hourly
         WHERE hour >= date_trunc('hour', now() - interval '30 days', 'UTC')
        UNION ALL
        SELECT topic_a, topic_b, articles FROM topic_pair_hourly_changes
         WHERE hour >= date_trunc('hour', now() - interval '30 days', 'UTC')) r
 GROUP BY 1, 2
HAVING sum(articles) > 0
 ORDER BY articles DESC, topic_a, topic_b;

-- Today's stories (UTC) tagged both nato and azerbaijan, newest first.
SELECT id, published_at, feed, title, url
  FROM tagged_articles
 WHERE topics @> ARRAY['nato', 'azerbaijan']
   AND published_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
 ORDER BY published_at DESC;

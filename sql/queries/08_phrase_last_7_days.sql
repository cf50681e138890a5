-- Stories of the last 7 days that mention a phrase (words in this order, any inflection).
SELECT a.id, a.published_at, f.name AS feed, a.title
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id
 WHERE a.search @@ phraseto_tsquery('russian', 'partnership for peace')
   AND a.published_at > now() - interval '7 days'
   AND a.duplicate_of IS NULL
 ORDER BY a.published_at DESC;

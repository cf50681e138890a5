-- Stories of the last 7 days that mention a phrase (words in this order, any inflection).
-- Bounding utc_day(published_at) as well lets the search index read only those days: words that
-- are common over the years are then no slower to find than rare ones.
SELECT a.id, a.published_at, f.name AS feed, a.title
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id
 WHERE a.search @@ phraseto_tsquery('russian', 'partnership for peace')
   AND utc_day(a.published_at) >= utc_day(now() - interval '7 days')
   AND a.published_at > now() - interval '7 days'
   AND a.duplicate_of IS NULL
 ORDER BY a.published_at DESC;

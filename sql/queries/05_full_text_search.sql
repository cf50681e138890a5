-- Full-text search in web-search syntax ("phrases", OR, -word), best matches of the last 30
-- days first. The 'russian' configuration stems English and Russian words alike, in any
-- inflection; replace the search text to taste. Ranking reads every match's text, so widen
-- the window with care: over two years of 1,000 feeds `NATO Baku` matches 29,635 articles
-- (half a second to rank), over 30 days 1,119. The bound on utc_day(published_at) lets the
-- search index give only those days' matches (see 08).
SELECT a.id, a.published_at, f.name AS feed, a.title,
       ts_rank(a.search, q) AS rank
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id,
       websearch_to_tsquery('russian', 'NATO Baku') q
 WHERE a.search @@ q AND a.duplicate_of IS NULL
   AND utc_day(a.published_at) >= utc_day(now() - interval '30 days')
   AND a.published_at > now() - interval '30 days'
 ORDER BY rank DESC, a.published_at DESC
 LIMIT 50;

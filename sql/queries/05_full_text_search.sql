-- Full-text search in web-search syntax ("phrases", OR, -word), best matches first. The
-- 'russian' configuration stems English and Russian words alike, in any inflection; replace
-- the search text to taste.
SELECT a.id, a.published_at, f.name AS feed, a.title,
       ts_rank(a.search, q) AS rank
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id,
       websearch_to_tsquery('russian', 'NATO Baku') q
 WHERE a.search @@ q AND a.duplicate_of IS NULL
 ORDER BY rank DESC, a.published_at DESC
 LIMIT 50;

-- How far did it spread: each feed that carried a story of the last 7 days, in the order they
-- published it, with the language and the delay after the first report. (The view
-- story_articles gives the same rows; joining the articles directly spares it reading each
-- story twice.)
SELECT s.id AS story, s.title, f.name AS feed, a.language, min(a.published_at) AS published_at,
       min(a.published_at) - s.first_seen_at AS after_first
  FROM stories s
  JOIN articles a ON a.story_id = s.id
  JOIN feeds f ON f.id = a.feed_id
 WHERE s.feed_count >= 2
   AND s.last_seen_at > now() - interval '7 days'
 GROUP BY s.id, s.title, s.first_seen_at, f.name, a.language
 ORDER BY s.id, min(a.published_at), f.name;

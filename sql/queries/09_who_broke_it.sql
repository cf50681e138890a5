-- Who broke it: for each story of the last 7 days carried by two or more feeds, the feed that
-- published first and how far ahead of the next feed it was.
SELECT s.id AS story, s.title, f.name AS first_feed, s.first_seen_at,
       (SELECT min(a.published_at) FROM articles a
         WHERE a.story_id = s.id AND a.feed_id <> first.feed_id) - s.first_seen_at AS lead,
       s.feed_count
  FROM stories s
  JOIN articles first ON first.id = s.first_article_id
  JOIN feeds f ON f.id = first.feed_id
 WHERE s.feed_count >= 2
   AND s.last_seen_at > now() - interval '7 days'
 ORDER BY s.feed_count DESC, s.first_seen_at DESC;

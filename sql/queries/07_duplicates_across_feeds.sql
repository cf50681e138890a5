-- Stories republished by other feeds over the last 7 days (agencies rerun each other): the
-- original and each copy published in that week. Every republication ever stored would read
-- the whole articles table and grow with the archive; widen the window to taste.
SELECT o.id AS original_id, fo.name AS original_feed, o.title AS original_title,
       d.id AS copy_id, fd.name AS copy_feed, d.published_at - o.published_at AS lag
  FROM articles d
  JOIN articles o ON o.id = d.duplicate_of
  JOIN feeds fo ON fo.id = o.feed_id
  JOIN feeds fd ON fd.id = d.feed_id
 WHERE d.duplicate_of IS NOT NULL
   AND d.published_at > now() - interval '7 days'
 ORDER BY o.published_at DESC, d.id;

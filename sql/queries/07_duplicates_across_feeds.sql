-- Stories republished by other feeds (agencies rerun each other): the original and each copy.
SELECT o.id AS original_id, fo.name AS original_feed, o.title AS original_title,
       d.id AS copy_id, fd.name AS copy_feed, d.published_at - o.published_at AS lag
  FROM articles d
  JOIN articles o ON o.id = d.duplicate_of
  JOIN feeds fo ON fo.id = o.feed_id
  JOIN feeds fd ON fd.id = d.feed_id
 ORDER BY o.published_at DESC, d.id;

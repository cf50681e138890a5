-- How far did it spread: each feed that carried a story of the last 7 days, in the order they
-- published it, with the language and the delay after the first report.
SELECT sa.story, s.title, sa.feed, sa.language, min(sa.published_at) AS published_at,
       min(sa.published_at) - s.first_seen_at AS after_first
  FROM story_articles sa
  JOIN stories s ON s.id = sa.story
 WHERE s.feed_count >= 2
   AND s.last_seen_at > now() - interval '7 days'
 GROUP BY sa.story, s.title, s.first_seen_at, sa.feed, sa.language
 ORDER BY sa.story, min(sa.published_at), sa.feed;

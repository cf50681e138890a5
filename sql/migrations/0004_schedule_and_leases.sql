-- What the scheduler needs: where a feed now lives after permanent redirects or discovery,
-- the hash of its last body (servers that ignore validators), and silent feeds.

ALTER TABLE feeds
    ADD COLUMN fetch_url text,  -- where polls go when it differs from url (301/308, discovery)
    ADD COLUMN body_hash text;  -- hash of the last 200 body: the same bytes again are no news

CREATE INDEX feeds_lease_idx ON feeds (lease_until) WHERE enabled;

-- A feed is silent when it answers but has published nothing for far longer than its usual
-- rhythm: ten times the median gap between its last 20 articles, and at least two days.
CREATE OR REPLACE VIEW feed_health AS
SELECT f.name AS feed, f.url, f.last_polled_at, f.last_http_status, f.consecutive_failures,
       f.last_error,
       (SELECT count(*) FROM articles a
         WHERE a.feed_id = f.id AND a.first_seen_at > now() - interval '24 hours') AS articles_24h,
       latest.last_article_at,
       (f.consecutive_failures = 0 AND latest.last_article_at IS NOT NULL
        AND now() - latest.last_article_at >
            GREATEST(interval '2 days', 10 * COALESCE(rhythm.usual_gap, interval '1 day')))
           AS silent
  FROM feeds f
  LEFT JOIN LATERAL (SELECT max(a.first_seen_at) AS last_article_at
                       FROM articles a WHERE a.feed_id = f.id) latest ON true
  LEFT JOIN LATERAL (
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS usual_gap
          FROM (SELECT published_at - lag(published_at) OVER (ORDER BY published_at) AS gap
                  FROM (SELECT published_at FROM articles
                         WHERE feed_id = f.id ORDER BY published_at DESC LIMIT 20) recent) gaps
         WHERE gap IS NOT NULL) rhythm ON true
 WHERE f.enabled;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON feed_health TO newsmon_analyst;
    END IF;
END
$$;

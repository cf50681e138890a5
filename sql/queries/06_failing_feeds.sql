-- Feeds that are failing now: how long, how often, and why.
SELECT feed, url, consecutive_failures, last_http_status, last_error, last_polled_at
  FROM feed_health
 WHERE consecutive_failures > 0
 ORDER BY consecutive_failures DESC, feed;

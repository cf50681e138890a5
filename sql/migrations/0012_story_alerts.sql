-- Alerts per story: a rule with per = 'story' sends one delivery when a story first matches
-- (never one per copy), and, with update_every = N, one update each time the story has spread
-- to N more feeds. Deliveries say which story they are about and how many feeds carried it.
ALTER TABLE alert_rules
    ADD COLUMN per text NOT NULL DEFAULT 'article',
    ADD COLUMN update_every integer,
    ADD CONSTRAINT alert_rules_per_check CHECK (per IN ('article', 'story')),
    ADD CONSTRAINT alert_rules_update_every_check
        CHECK (update_every IS NULL OR (update_every >= 1 AND per = 'story'));

ALTER TABLE alert_deliveries
    ADD COLUMN story_id bigint,
    ADD COLUMN kind text NOT NULL DEFAULT 'match',
    ADD COLUMN feed_count integer,
    ADD COLUMN story_once boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT alert_deliveries_kind_check CHECK (kind IN ('match', 'update'));

-- What makes a per-story rule's first delivery arrive once per story.
CREATE UNIQUE INDEX alert_deliveries_rule_story_once
    ON alert_deliveries (rule_id, story_id) WHERE story_once AND kind = 'match';
CREATE INDEX alert_deliveries_rule_story_idx
    ON alert_deliveries (rule_id, story_id) WHERE story_id IS NOT NULL;

CREATE OR REPLACE VIEW alert_log AS
SELECT d.id AS delivery_id, r.name AS rule, d.status, d.attempts, d.last_error,
       d.created_at, d.sent_at, d.next_attempt_at, d.matched_terms, d.channels_done,
       a.id AS article_id, a.title, a.url, f.name AS feed, a.published_at,
       d.story_id, d.kind, d.feed_count
  FROM alert_deliveries d
  JOIN alert_rules r ON r.id = d.rule_id
  JOIN articles a ON a.id = d.article_id
  JOIN feeds f ON f.id = a.feed_id;

CREATE OR REPLACE VIEW alert_rules_public AS
SELECT id, name, query, channels, enabled, digest, secret IS NOT NULL AS signed,
       created_at, updated_at, last_error, last_digest_at, per, update_every
  FROM alert_rules;

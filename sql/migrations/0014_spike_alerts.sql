-- Spike alerts: a rule with spike_window set fires when the stories matching its query in the
-- last window are far more than its baseline says is normal for that hour of the week. Its
-- matches are counted in spike_hits (one row per rule and article, written with the article),
-- its state between evaluations is in spike_state, and each episode is one delivery, unique
-- per rule and episode key.
ALTER TABLE alert_rules
    ADD COLUMN spike_window interval,
    ADD COLUMN spike_baseline interval,
    ADD COLUMN spike_min_count integer,
    ADD CONSTRAINT alert_rules_spike_check CHECK (
        (spike_window IS NULL AND spike_baseline IS NULL AND spike_min_count IS NULL)
        OR (spike_window >= interval '1 minute' AND spike_window <= interval '1 day'
            AND spike_baseline >= interval '2 days' AND spike_min_count >= 1
            AND per = 'article' AND digest IS NULL AND update_every IS NULL));

CREATE TABLE spike_hits (
    rule_id      bigint      NOT NULL,
    article_id   bigint      NOT NULL,
    story_id     bigint      NOT NULL,
    published_at timestamptz NOT NULL,
    CONSTRAINT spike_hits_pkey PRIMARY KEY (rule_id, article_id),
    CONSTRAINT spike_hits_rule_id_fkey FOREIGN KEY (rule_id)
        REFERENCES alert_rules (id) ON DELETE CASCADE,
    CONSTRAINT spike_hits_article_id_fkey FOREIGN KEY (article_id)
        REFERENCES articles (id) ON DELETE CASCADE
);

-- Counting a rule's stories per window reads this index only.
CREATE INDEX spike_hits_rule_published_idx ON spike_hits (rule_id, published_at) INCLUDE (story_id);
CREATE INDEX spike_hits_article_idx ON spike_hits (article_id);

CREATE TABLE spike_state (
    rule_id          bigint      NOT NULL,
    in_episode       boolean     NOT NULL DEFAULT false,
    episodes         integer     NOT NULL DEFAULT 0,
    -- from when the rule's hits are complete: its history starts here, however old the archive
    history_from     timestamptz NOT NULL DEFAULT now(),
    evaluated_at     timestamptz,
    last_count       double precision,
    last_expected    double precision,
    last_p_value     double precision,
    CONSTRAINT spike_state_pkey PRIMARY KEY (rule_id),
    CONSTRAINT spike_state_rule_id_fkey FOREIGN KEY (rule_id)
        REFERENCES alert_rules (id) ON DELETE CASCADE
);

ALTER TABLE alert_deliveries
    ADD COLUMN episode_key text,
    ADD COLUMN spike jsonb, -- what the message says: count, expected, ratio, window, stories
    DROP CONSTRAINT alert_deliveries_kind_check,
    ADD CONSTRAINT alert_deliveries_kind_check CHECK (kind IN ('match', 'update', 'spike')),
    ADD CONSTRAINT alert_deliveries_spike_check CHECK ((kind = 'spike') = (episode_key IS NOT NULL));

-- One delivery per rule and spike episode, however many instances evaluate at once.
CREATE UNIQUE INDEX alert_deliveries_rule_episode_key
    ON alert_deliveries (rule_id, episode_key) WHERE episode_key IS NOT NULL;

-- The daemon re-reads its rules when a spike setting changes, too.
DROP TRIGGER alert_rules_changed ON alert_rules;
DROP TRIGGER alert_rules_updated_at ON alert_rules;
CREATE TRIGGER alert_rules_changed AFTER UPDATE ON alert_rules
    FOR EACH ROW
    WHEN ((OLD.name, OLD.query, OLD.channels, OLD.enabled, OLD.digest, OLD.secret,
           OLD.spike_window, OLD.spike_baseline, OLD.spike_min_count)
          IS DISTINCT FROM (NEW.name, NEW.query, NEW.channels, NEW.enabled, NEW.digest, NEW.secret,
                            NEW.spike_window, NEW.spike_baseline, NEW.spike_min_count))
    EXECUTE FUNCTION alert_rules_notify();
CREATE TRIGGER alert_rules_updated_at BEFORE UPDATE ON alert_rules
    FOR EACH ROW
    WHEN ((OLD.name, OLD.query, OLD.channels, OLD.enabled, OLD.digest, OLD.secret,
           OLD.spike_window, OLD.spike_baseline, OLD.spike_min_count)
          IS DISTINCT FROM (NEW.name, NEW.query, NEW.channels, NEW.enabled, NEW.digest, NEW.secret,
                            NEW.spike_window, NEW.spike_baseline, NEW.spike_min_count))
    EXECUTE FUNCTION alert_rules_touch();

CREATE OR REPLACE VIEW alert_rules_public AS
SELECT id, name, query, channels, enabled, digest, secret IS NOT NULL AS signed,
       created_at, updated_at, last_error, last_digest_at, per, update_every,
       spike_window, spike_baseline, spike_min_count
  FROM alert_rules;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON spike_hits, spike_state TO newsmon_analyst;
    END IF;
END
$$;

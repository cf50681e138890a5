-- Keyword alerts: the rules analysts set up, one delivery per rule and article, and the log
-- view of what was sent.

CREATE TABLE alert_rules (
    id             bigint GENERATED ALWAYS AS IDENTITY,
    name           text        NOT NULL,
    query          text        NOT NULL,
    -- {"webhook": ["https://..."], "email": ["desk@example.org"], "notify": true}
    channels       jsonb       NOT NULL DEFAULT '{}',
    enabled        boolean     NOT NULL DEFAULT true,
    digest         interval,   -- NULL: one message per article; else one per period
    secret         text,       -- signs webhook bodies (X-Newsmon-Signature)
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    last_error     text,       -- why the daemon cannot use the rule; NULL when it can
    last_digest_at timestamptz,
    CONSTRAINT alert_rules_pkey PRIMARY KEY (id),
    CONSTRAINT alert_rules_name_key UNIQUE (name),
    CONSTRAINT alert_rules_name_check CHECK (name <> ''),
    CONSTRAINT alert_rules_channels_check CHECK (jsonb_typeof(channels) = 'object'),
    CONSTRAINT alert_rules_digest_check CHECK (digest IS NULL OR digest >= interval '1 second')
);

-- One row per rule and article, ever: the unique key is what makes an alert arrive once.
CREATE TABLE alert_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    rule_id         bigint      NOT NULL,
    article_id      bigint      NOT NULL,
    matched_terms   text[]      NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    channels_done   text[]      NOT NULL DEFAULT '{}', -- the channels that already have it
    digest_key      text,       -- the digest message it went into, once claimed for one
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CONSTRAINT alert_deliveries_pkey PRIMARY KEY (id),
    CONSTRAINT alert_deliveries_rule_article_key UNIQUE (rule_id, article_id),
    CONSTRAINT alert_deliveries_rule_id_fkey FOREIGN KEY (rule_id)
        REFERENCES alert_rules (id) ON DELETE CASCADE,
    CONSTRAINT alert_deliveries_article_id_fkey FOREIGN KEY (article_id)
        REFERENCES articles (id) ON DELETE CASCADE,
    CONSTRAINT alert_deliveries_status_check CHECK (status IN ('pending', 'sent', 'failed'))
);

CREATE INDEX alert_deliveries_pending_idx ON alert_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX alert_deliveries_article_idx ON alert_deliveries (article_id);

-- The running daemon re-reads its rules when they change: on insert and delete, and on an
-- update of anything but the columns the daemon itself writes.
CREATE FUNCTION alert_rules_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('newsmon_rules', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION alert_rules_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER alert_rules_changed_rows AFTER INSERT OR DELETE ON alert_rules
    FOR EACH STATEMENT EXECUTE FUNCTION alert_rules_notify();
CREATE TRIGGER alert_rules_changed AFTER UPDATE ON alert_rules
    FOR EACH ROW
    WHEN ((OLD.name, OLD.query, OLD.channels, OLD.enabled, OLD.digest, OLD.secret)
          IS DISTINCT FROM (NEW.name, NEW.query, NEW.channels, NEW.enabled, NEW.digest, NEW.secret))
    EXECUTE FUNCTION alert_rules_notify();
CREATE TRIGGER alert_rules_updated_at BEFORE UPDATE ON alert_rules
    FOR EACH ROW
    WHEN ((OLD.name, OLD.query, OLD.channels, OLD.enabled, OLD.digest, OLD.secret)
          IS DISTINCT FROM (NEW.name, NEW.query, NEW.channels, NEW.enabled, NEW.digest, NEW.secret))
    EXECUTE FUNCTION alert_rules_touch();

-- The sender wakes up when there is something to send.
CREATE FUNCTION alert_deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('newsmon_deliveries', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER alert_deliveries_added AFTER INSERT ON alert_deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION alert_deliveries_notify();

CREATE VIEW alert_log AS
SELECT d.id AS delivery_id, r.name AS rule, d.status, d.attempts, d.last_error,
       d.created_at, d.sent_at, d.next_attempt_at, d.matched_terms, d.channels_done,
       a.id AS article_id, a.title, a.url, f.name AS feed, a.published_at
  FROM alert_deliveries d
  JOIN alert_rules r ON r.id = d.rule_id
  JOIN articles a ON a.id = d.article_id
  JOIN feeds f ON f.id = a.feed_id;

-- Analysts set up their own alerts: they may add and change rules, and read what was sent.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT, INSERT, UPDATE ON alert_rules TO newsmon_analyst;
        GRANT SELECT ON alert_deliveries, alert_log TO newsmon_analyst;
    END IF;
END
$$;

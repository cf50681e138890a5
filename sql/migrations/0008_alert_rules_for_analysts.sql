-- Analysts read alert rules without their webhook secrets, and write none: a rule names where
-- the daemon sends data and with which key, so rules are written with `newsmon alert` under
-- the daemon's own role. The view says whether a rule signs its webhooks, never with what.
CREATE VIEW alert_rules_public AS
SELECT id, name, query, channels, enabled, digest, secret IS NOT NULL AS signed,
       created_at, updated_at, last_error, last_digest_at
  FROM alert_rules;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        REVOKE ALL ON alert_rules FROM newsmon_analyst;
        GRANT SELECT ON alert_rules_public TO newsmon_analyst;
    END IF;
END
$$;

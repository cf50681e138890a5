-- Alert rules written from outside the daemon (`newsmon web`'s write endpoints) go through the
-- role newsmon_alert_writer: it reads what analysts read, adds rules and switches them on or
-- off, and nothing else. It may give a rule a webhook secret but never read one back: like
-- analysts it reads rules through alert_rules_public, and of alert_rules itself only the id and
-- name that its writes return or look up. Rule ids are an identity column, which needs no
-- privilege on its sequence. Creating the role needs CREATEROLE; without it the migration goes
-- on, says so, and writes through the web stay off.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_alert_writer') THEN
        BEGIN
            CREATE ROLE newsmon_alert_writer NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role newsmon_alert_writer not created (no CREATEROLE); writes through newsmon web stay off until a superuser creates it (see "Web API" in the README)';
        WHEN duplicate_object OR unique_violation THEN
            -- created meanwhile by the migration of another database in the cluster (the
            -- loser of that race gets unique_violation from pg_authid's index)
            NULL;
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_alert_writer') THEN
        GRANT USAGE ON SCHEMA public TO newsmon_alert_writer;
        GRANT SELECT (id, name) ON alert_rules TO newsmon_alert_writer;
        GRANT INSERT (name, query, channels, digest, secret, per, update_every, spike_window,
                      spike_baseline, spike_min_count)
           ON alert_rules TO newsmon_alert_writer;
        GRANT UPDATE (enabled) ON alert_rules TO newsmon_alert_writer;
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst')
           AND NOT pg_has_role('newsmon_alert_writer', 'newsmon_analyst', 'MEMBER') THEN
            BEGIN
                GRANT newsmon_analyst TO newsmon_alert_writer;
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'newsmon_alert_writer not granted newsmon_analyst (no CREATEROLE); as a superuser run: GRANT newsmon_analyst TO newsmon_alert_writer';
            END;
        END IF;
    END IF;
END
$$;

-- Migration 0002's notice advised, where the migrating user could not create roles,
-- GRANT SELECT ON ALL TABLES IN SCHEMA public TO newsmon_analyst, which also opens alert_rules
-- with its webhook secrets to analysts. Take that back wherever it was followed; the README
-- gives the right statements.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        REVOKE ALL ON alert_rules FROM newsmon_analyst;
    END IF;
END
$$;

-- fetch_log and raw_archive grow with time and are kept for a time ([retention] fetch_log,
-- [archive] keep): 10,000 feeds polled every 15 minutes write a million fetch_log rows a day.
-- Both are now partitioned by the time of the fetch, fetch_log a day (UTC) to a partition and
-- raw_archive a week, so that what expires goes by dropping whole partitions instead of
-- deleting millions of rows and leaving the table to vacuum. The daemon creates the partitions
-- ahead and drops the expired ones (store/log_partitions.cpp); the default partition takes a
-- row no partition covers (a clock far off) until that partition is made.
--
-- An existing table is not copied: it becomes one partition, for everything until the end of
-- the day, trimmed by DELETE as before until all of it is past the retention and it is dropped.
-- Its id sequence carries on (articles.archive_id and reparse's progress compare ids). Primary
-- keys include the partition key, as PostgreSQL requires; ids still come from one sequence per
-- table.

-- Bounds are written as text below: in UTC and ISO, which read back as written.
SET LOCAL timezone = 'UTC';
SET LOCAL datestyle = 'ISO, YMD';

ALTER TABLE fetch_log RENAME TO fetch_log_before_partitioning;
ALTER INDEX fetch_log_pkey RENAME TO fetch_log_before_partitioning_pkey;
ALTER INDEX fetch_log_feed_started_idx RENAME TO fetch_log_before_partitioning_feed_started_idx;
ALTER INDEX fetch_log_started_at_idx RENAME TO fetch_log_before_partitioning_started_at_idx;

CREATE TABLE fetch_log (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    feed_id       bigint      NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   integer     NOT NULL,
    http_status   integer,
    bytes         bigint      NOT NULL DEFAULT 0,
    items_seen    integer     NOT NULL DEFAULT 0,
    items_new     integer     NOT NULL DEFAULT 0,
    items_updated integer     NOT NULL DEFAULT 0,
    error         text,
    CONSTRAINT fetch_log_pkey PRIMARY KEY (id, started_at),
    CONSTRAINT fetch_log_feed_id_fkey FOREIGN KEY (feed_id) REFERENCES feeds (id)
) PARTITION BY RANGE (started_at);
CREATE INDEX fetch_log_feed_started_idx ON fetch_log (feed_id, started_at DESC);
CREATE INDEX fetch_log_started_at_idx ON fetch_log (started_at);
CREATE TABLE fetch_log_default PARTITION OF fetch_log DEFAULT;

ALTER TABLE raw_archive RENAME TO raw_archive_before_partitioning;
ALTER INDEX raw_archive_pkey RENAME TO raw_archive_before_partitioning_pkey;
ALTER INDEX raw_archive_fetched_idx RENAME TO raw_archive_before_partitioning_fetched_idx;
ALTER INDEX raw_archive_feed_idx RENAME TO raw_archive_before_partitioning_feed_idx;
ALTER INDEX raw_archive_article_idx RENAME TO raw_archive_before_partitioning_article_idx;
ALTER INDEX raw_archive_article_id_idx RENAME TO raw_archive_before_partitioning_article_id_idx;

CREATE TABLE raw_archive (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    kind         text        NOT NULL,
    feed_id      bigint      NOT NULL,
    article_id   bigint,
    url          text        NOT NULL,
    fetched_at   timestamptz NOT NULL,
    http_status  integer     NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}',
    content_hash text        NOT NULL,
    size         integer     NOT NULL,
    body         bytea       NOT NULL,
    CONSTRAINT raw_archive_pkey PRIMARY KEY (id, fetched_at),
    CONSTRAINT raw_archive_kind_check CHECK (kind IN ('feed', 'page')),
    CONSTRAINT raw_archive_feed_id_fkey FOREIGN KEY (feed_id) REFERENCES feeds (id)
        ON DELETE CASCADE,
    CONSTRAINT raw_archive_article_id_fkey FOREIGN KEY (article_id) REFERENCES articles (id)
        ON DELETE CASCADE
) PARTITION BY RANGE (fetched_at);
ALTER TABLE raw_archive ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX raw_archive_fetched_idx ON raw_archive (fetched_at);
CREATE INDEX raw_archive_feed_idx ON raw_archive (feed_id, id) WHERE kind = 'feed';
CREATE INDEX raw_archive_article_idx ON raw_archive (article_id, id) WHERE kind = 'page';
CREATE INDEX raw_archive_article_id_idx ON raw_archive (article_id) WHERE article_id IS NOT NULL;
CREATE TABLE raw_archive_default PARTITION OF raw_archive DEFAULT;

-- The old table becomes the partition up to the end of today, or goes when it is empty. A row
-- dated later (a clock far off) moves to the default partition first, so that one row from
-- 2036 cannot keep the table the partition of everything until then.
CREATE FUNCTION pg_temp.attach_table_before_partitioning(log text, time_column text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old_table text := log || '_before_partitioning';
    end_of_today timestamptz :=
        date_bin('1 day', now(), timestamptz '1970-01-01 00:00+00') + interval '1 day';
    last_value bigint;
    is_called boolean;
    empty boolean;
BEGIN
    EXECUTE format('SELECT last_value, is_called FROM %s',
                   pg_get_serial_sequence(old_table, 'id'))
        INTO last_value, is_called;
    PERFORM setval(pg_get_serial_sequence(log, 'id'), last_value, is_called);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved',
                   old_table, time_column, end_of_today, log || '_default');
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', old_table) INTO empty;
    IF empty THEN
        EXECUTE format('DROP TABLE %I', old_table);
        RETURN;
    END IF;
    -- its key on id alone gives way to the partitioned table's (id and time), built on attach
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ALTER COLUMN id DROP IDENTITY',
                   old_table, old_table || '_pkey');
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)',
                   log, old_table, end_of_today);
END
$$;
SELECT pg_temp.attach_table_before_partitioning('fetch_log', 'started_at');
SELECT pg_temp.attach_table_before_partitioning('raw_archive', 'fetched_at');

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON fetch_log TO newsmon_analyst;
    END IF;
END
$$;

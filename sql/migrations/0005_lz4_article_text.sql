-- Article text is compressed as it is stored; lz4 costs a fraction of the default pglz's CPU.
-- A server built without lz4 keeps pglz: nothing else depends on it.
DO $$
BEGIN
    ALTER TABLE articles
        ALTER COLUMN summary SET COMPRESSION lz4,
        ALTER COLUMN content_text SET COMPRESSION lz4,
        ALTER COLUMN content_html SET COMPRESSION lz4,
        ALTER COLUMN search SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 is not available on this server; article text stays compressed with pglz';
END
$$;

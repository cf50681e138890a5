-- Full-text search, duplicate detection, topics, and the views analysts query.

ALTER TABLE articles
    ADD COLUMN canonical_url text,
    ADD COLUMN content_text  text,
    ADD COLUMN language      text,
    ADD COLUMN content_hash  text   NOT NULL DEFAULT '',
    ADD COLUMN title_key     text   NOT NULL DEFAULT '',
    ADD COLUMN duplicate_of  bigint,
    ADD CONSTRAINT articles_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES articles (id);

-- The 'russian' configuration stems Cyrillic words with the Russian stemmer and ASCII words
-- with the English one, and keeps other Latin-script words (Azerbaijani, Turkish) as written:
-- one pass serves all four languages. Titles also get 'simple', exact words, which catches
-- the few forms the stemmer splits. Title words weigh A, summary and text B.
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('russian'::regconfig, title), 'A')
   || setweight(to_tsvector('simple'::regconfig, title), 'A')
   || setweight(to_tsvector('russian'::regconfig, summary || ' ' || coalesce(content_text, '')), 'B')
) STORED;

CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_canonical_url_idx ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_title_key_idx ON articles (title_key, published_at) WHERE title_key <> '';
CREATE INDEX articles_feed_published_idx ON articles (feed_id, published_at DESC);
CREATE INDEX fetch_log_started_at_idx ON fetch_log (started_at);

CREATE TABLE topics (
    name        text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    terms       text[]      NOT NULL DEFAULT '{}',
    exclude     text[]      NOT NULL DEFAULT '{}',
    min_score   integer     NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT topics_pkey PRIMARY KEY (name)
);

CREATE TABLE article_topics (
    article_id    bigint  NOT NULL,
    topic         text    NOT NULL,
    score         integer NOT NULL,
    hits          integer NOT NULL,
    matched_terms text[]  NOT NULL DEFAULT '{}',
    in_title      boolean NOT NULL DEFAULT false,
    CONSTRAINT article_topics_pkey PRIMARY KEY (article_id, topic),
    CONSTRAINT article_topics_article_id_fkey FOREIGN KEY (article_id)
        REFERENCES articles (id) ON DELETE CASCADE,
    CONSTRAINT article_topics_topic_fkey FOREIGN KEY (topic)
        REFERENCES topics (name) ON UPDATE CASCADE
);

CREATE INDEX article_topics_topic_idx ON article_topics (topic, article_id);

-- Every tagged story once: republications (duplicate_of set) are left out.
CREATE VIEW tagged_articles AS
SELECT a.id, a.published_at, f.name AS feed, a.title, a.url,
       ARRAY(SELECT t.topic FROM article_topics t WHERE t.article_id = a.id ORDER BY t.topic)
           AS topics,
       a.summary
  FROM articles a
  JOIN feeds f ON f.id = a.feed_id
 WHERE a.duplicate_of IS NULL
   AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id);

-- Stories per topic and day (UTC, by publication time), republications counted once.
CREATE VIEW topic_daily AS
SELECT (a.published_at AT TIME ZONE 'UTC')::date AS day, t.topic, count(*) AS articles
  FROM article_topics t
  JOIN articles a ON a.id = t.article_id
 WHERE a.duplicate_of IS NULL
 GROUP BY 1, 2;

CREATE VIEW feed_health AS
SELECT f.name AS feed, f.url, f.last_polled_at, f.last_http_status, f.consecutive_failures,
       f.last_error,
       (SELECT count(*) FROM articles a
         WHERE a.feed_id = f.id AND a.first_seen_at > now() - interval '24 hours') AS articles_24h
  FROM feeds f
 WHERE f.enabled;

-- Read access for analysts. Creating a role needs CREATEROLE; without it the migration goes on
-- and says how to create the role by hand.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        BEGIN
            CREATE ROLE newsmon_analyst NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role newsmon_analyst not created (no CREATEROLE); as a superuser run: CREATE ROLE newsmon_analyst NOLOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO newsmon_analyst';
        WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by the migration of another database in the cluster
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT USAGE ON SCHEMA public TO newsmon_analyst;
        GRANT SELECT ON feeds, articles, topics, article_topics, fetch_log, schema_migrations,
                        tagged_articles, topic_daily, feed_health
           TO newsmon_analyst;
    END IF;
END
$$;

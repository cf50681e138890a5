-- The raw archive: every fetched feed body that changed and every article page, as fetched,
-- zstd-compressed, so that `newsmon reparse` can run a better parser, extractor or tagger over
-- what was fetched rather than over what was extracted from it. Kept for [archive] keep.
CREATE TABLE raw_archive (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    kind         text        NOT NULL,
    feed_id      bigint      NOT NULL,
    article_id   bigint,                -- the page's article; null for a feed body
    url          text        NOT NULL,  -- where the body came from, after redirects
    fetched_at   timestamptz NOT NULL,
    http_status  integer     NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}',
    content_hash text        NOT NULL,  -- of the body as fetched
    size         integer     NOT NULL,  -- bytes as fetched
    body         bytea       NOT NULL,  -- one zstd frame
    CONSTRAINT raw_archive_pkey PRIMARY KEY (id),
    CONSTRAINT raw_archive_kind_check CHECK (kind IN ('feed', 'page')),
    CONSTRAINT raw_archive_feed_id_fkey FOREIGN KEY (feed_id) REFERENCES feeds (id)
        ON DELETE CASCADE,
    CONSTRAINT raw_archive_article_id_fkey FOREIGN KEY (article_id) REFERENCES articles (id)
        ON DELETE CASCADE
);
-- zstd frames do not compress again: keep TOAST from trying.
ALTER TABLE raw_archive ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX raw_archive_fetched_idx ON raw_archive (fetched_at);
CREATE INDEX raw_archive_feed_idx ON raw_archive (feed_id, id) WHERE kind = 'feed';
CREATE INDEX raw_archive_article_idx ON raw_archive (article_id, id) WHERE kind = 'page';

-- The archived feed body an article was last written from. A reparse writes an article only
-- from a body at least as new, so that going through old bodies never puts back an older
-- version of an item than the one stored.
ALTER TABLE articles ADD COLUMN archive_id bigint;

-- Where an interrupted `newsmon reparse` stopped, so that running it again with the same
-- options resumes there.
CREATE TABLE reparse_progress (
    run_key    text        NOT NULL,
    last_id    bigint      NOT NULL,
    bodies     bigint      NOT NULL DEFAULT 0,
    changed    bigint      NOT NULL DEFAULT 0,
    added      bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reparse_progress_pkey PRIMARY KEY (run_key)
);

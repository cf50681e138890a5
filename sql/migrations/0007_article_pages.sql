-- Full text from the article page, for items whose feed carries only a teaser: which articles
-- still want their page, how fetching it went, and what the page added.

ALTER TABLE articles
    ADD COLUMN lead_image          text,
    -- NULL: the feed's text is enough; pending: to fetch; done; failed (out of attempts)
    ADD COLUMN page_status         text,
    ADD COLUMN page_attempts       integer NOT NULL DEFAULT 0,
    ADD COLUMN page_next_at        timestamptz,
    ADD COLUMN page_error          text,
    ADD COLUMN page_etag           text,
    ADD COLUMN page_last_modified  text,
    ADD COLUMN page_fetched_at     timestamptz,
    -- the feed gave no date, so published_at is when the article was first seen
    ADD COLUMN published_guessed   boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT articles_page_status_check
        CHECK (page_status IN ('pending', 'done', 'failed'));

CREATE INDEX articles_page_due_idx ON articles (page_next_at) WHERE page_status = 'pending';

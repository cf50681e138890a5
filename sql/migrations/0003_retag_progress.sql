-- Where an interrupted `newsmon retag` stopped, so that running it again with the same options
-- resumes there.
CREATE TABLE retag_progress (
    run_key    text        NOT NULL,
    last_id    bigint      NOT NULL,
    done       bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retag_progress_pkey PRIMARY KEY (run_key)
);

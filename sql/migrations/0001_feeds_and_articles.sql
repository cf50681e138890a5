-- The feeds newsmon polls, the articles it stores, and a log of every fetch.

CREATE TABLE feeds (
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    url                  text        NOT NULL,
    name                 text        NOT NULL,
    site_url             text,
    language             text,
    enabled              boolean     NOT NULL DEFAULT true,
    poll_interval        interval    NOT NULL DEFAULT interval '15 minutes',
    etag                 text,
    last_modified        text,
    next_poll_at         timestamptz NOT NULL DEFAULT now(),
    last_polled_at       timestamptz,
    last_http_status     integer,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    last_error           text,
    lease_owner          text,
    lease_until          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT feeds_pkey PRIMARY KEY (id),
    CONSTRAINT feeds_url_key UNIQUE (url)
);

CREATE INDEX feeds_next_poll_at_idx ON feeds (next_poll_at) WHERE enabled;

CREATE TABLE articles (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    feed_id       bigint      NOT NULL,
    guid          text        NOT NULL,
    url           text,
    title         text        NOT NULL DEFAULT '',
    author        text,
    summary       text        NOT NULL DEFAULT '',
    content_html  text,
    categories    text[]      NOT NULL DEFAULT '{}',
    published_at  timestamptz NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz,
    CONSTRAINT articles_pkey PRIMARY KEY (id),
    CONSTRAINT articles_feed_id_fkey FOREIGN KEY (feed_id) REFERENCES feeds (id),
    CONSTRAINT articles_feed_guid_key UNIQUE (feed_id, guid)
);

CREATE INDEX articles_published_at_idx ON articles (published_at DESC);

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
    CONSTRAINT fetch_log_pkey PRIMARY KEY (id),
    CONSTRAINT fetch_log_feed_id_fkey FOREIGN KEY (feed_id) REFERENCES feeds (id)
);

CREATE INDEX fetch_log_feed_started_idx ON fetch_log (feed_id, started_at DESC);

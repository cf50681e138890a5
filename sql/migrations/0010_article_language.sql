-- Each article's language: the one its feed (or the feed's config) declares, else detected from
-- its text, which language_detected marks. Analysts filter by it; tagging and re-tagging read
-- it to choose the stemmer. Articles stored before get theirs from `newsmon retag`.

ALTER TABLE articles ADD COLUMN language_detected boolean NOT NULL DEFAULT false;

CREATE INDEX articles_language_idx ON articles (language, published_at);

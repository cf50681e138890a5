-- Changes to stories.topic_articles (0024_story_topics.sql) not folded yet: signed counts per
-- story and topic, appended by whatever tags or untags articles (the writer, a fetched page,
-- reparse), folded into the stories by the daemon after each poll cycle. No key and no index:
-- appending locks no story row, so writers, pages, restory and retention never wait on each
-- other for it. Readers add these to topic_articles for an exact count.
CREATE TABLE story_topic_changes (
    story_id bigint  NOT NULL,
    topic    text    NOT NULL,
    articles integer NOT NULL
);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsmon_analyst') THEN
        GRANT SELECT ON story_topic_changes TO newsmon_analyst;
    END IF;
END
$$;

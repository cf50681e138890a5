-- The words of each article as newsmon cuts and folds them (parsers/words.hpp: base forms,
-- case and diacritics folded), written by the daemon, so that `newsmon search` finds with a GIN
-- index every article an alert query can match and then applies the query itself. NULL means
-- not known (articles stored before this migration, or whose text changed without it): such
-- an article is always read. `newsmon retag` fills it for older articles.
ALTER TABLE articles ADD COLUMN words tsvector;

CREATE INDEX articles_words_idx ON articles USING gin (words);
CREATE INDEX articles_words_missing_idx ON articles (id) WHERE words IS NULL;

-- A change of title, summary or text that does not bring its words makes them unknown, never
-- stale: whatever writes the row, search cannot miss the article.
CREATE FUNCTION articles_forget_stale_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.words IS NOT DISTINCT FROM OLD.words
       AND (NEW.title IS DISTINCT FROM OLD.title OR NEW.summary IS DISTINCT FROM OLD.summary
            OR NEW.content_text IS DISTINCT FROM OLD.content_text) THEN
        NEW.words := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_forget_stale_words BEFORE UPDATE OF title, summary, content_text
    ON articles FOR EACH ROW EXECUTE FUNCTION articles_forget_stale_words();

-- articles.search is no longer computed by PostgreSQL as a generated column but written with the
-- row: the writer computes it for a batch's new articles in its temporary table, before it
-- takes the story lock (story assignment lets one writer at a time through), so that several
-- writers parse their texts in parallel. Its content is unchanged: the same expression, now a
-- function. A trigger computes it for any other write that changes the text (a page's text,
-- an UPDATE by hand) or inserts a row without it.
ALTER TABLE articles ALTER COLUMN search DROP EXPRESSION;

-- As 0002 defined the column: the 'russian' configuration stems Cyrillic words with the Russian
-- stemmer and ASCII words with the English one; titles also get 'simple'; title words weigh A,
-- summary and text B.
CREATE FUNCTION article_search_vector(title text, summary text, content_text text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('russian'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('russian'::regconfig, summary || ' ' || coalesce(content_text, '')), 'B')
$$;

CREATE FUNCTION articles_keep_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.search IS NULL THEN
            NEW.search := article_search_vector(NEW.title, NEW.summary, NEW.content_text);
        END IF;
    ELSIF (NEW.title, NEW.summary, NEW.content_text)
              IS DISTINCT FROM (OLD.title, OLD.summary, OLD.content_text)
          AND NEW.search IS NOT DISTINCT FROM OLD.search THEN
        NEW.search := article_search_vector(NEW.title, NEW.summary, NEW.content_text);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_keep_search
    BEFORE INSERT OR UPDATE OF title, summary, content_text, search ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_keep_search();

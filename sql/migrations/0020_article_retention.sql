-- Article retention ([retention] articles) deletes whole stories whose latest report is older
-- than the setting. A republication in another story outlives its original: it keeps its row
-- and stops being a copy, rather than holding the original back.
ALTER TABLE articles DROP CONSTRAINT articles_duplicate_of_fkey;
ALTER TABLE articles ADD CONSTRAINT articles_duplicate_of_fkey
    FOREIGN KEY (duplicate_of) REFERENCES articles (id) ON DELETE SET NULL;

-- Every deleted article has its referencing rows looked up by PostgreSQL: without these each
-- lookup would read the whole table. Copies are a few percent of the articles; the archive's
-- existing index holds page rows only, and the lookup does not say which kind it wants.
CREATE INDEX articles_duplicate_of_idx ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX raw_archive_article_id_idx ON raw_archive (article_id) WHERE article_id IS NOT NULL;

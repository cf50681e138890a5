-- A feed's claims since its last recorded poll. A poll that never records an outcome (the
-- process stopped while fetching or reading the feed) leaves it raised; a feed that reaches
-- the limit is no longer claimed, so that an input that kills the process cannot do it again
-- after every restart. Setting it back to 0 lets the feed be polled again.
ALTER TABLE feeds ADD COLUMN poll_attempts integer NOT NULL DEFAULT 0;

-- The same claim index as PostgreSQL's 006: SQLite's (run_id, status) already ends in the rowid (id), so this changes no plan; it
-- keeps the two schemas alike. (PostgreSQL's 006 also stores raw answers as json text: SQLite keeps them as TEXT already.)
DROP INDEX checkpoints_claim;
CREATE INDEX checkpoints_claim ON checkpoints (run_id, status, id);

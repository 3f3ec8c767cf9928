-- A claim takes the first step's pages kind by kind, oldest first (RelationalCheckpointStore.ClaimTurnAsync): with id in the
-- index each kind is read in order and the read stops at the claim's size. SQLite's index already ends in the rowid (id),
-- so this changes no plan here; it keeps the two schemas alike.
DROP INDEX checkpoints_pending;
CREATE INDEX checkpoints_pending ON checkpoints (run_id, status, kind, id);

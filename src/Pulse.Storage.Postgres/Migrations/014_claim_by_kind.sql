-- A claim takes the first step's pages kind by kind, oldest first (RelationalCheckpointStore.ClaimTurnAsync). On
-- (run_id, status, kind) alone PostgreSQL read and sorted every pending page of a kind per claim (a timeline page per PR:
-- ~10,000 in bench-org); with id in the index each kind is read in order and the read stops at the claim's size.
DROP INDEX checkpoints_pending;
CREATE INDEX checkpoints_pending ON checkpoints (run_id, status, kind, id);

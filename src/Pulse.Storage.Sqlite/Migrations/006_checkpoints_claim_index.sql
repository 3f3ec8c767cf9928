-- Claims take the oldest pending checkpoints of a run (ORDER BY id LIMIT n). checkpoints_pending has kind
-- between status and the rowid, so every claim read and sorted all pending rows of the run (tens of
-- thousands at 10,000 PRs); in this index the rowid follows (run_id, status), so a claim reads only
-- as many entries as it takes. (006: other branches may hold 004 and 005.)
CREATE INDEX IF NOT EXISTS checkpoints_claim ON checkpoints (run_id, status);

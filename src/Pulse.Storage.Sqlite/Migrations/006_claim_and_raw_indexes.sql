-- Claims take the oldest pending checkpoints of a run (ORDER BY id LIMIT n). checkpoints_pending has kind
-- between status and the rowid, so every claim read and sorted all pending rows of the run (tens of
-- thousands at 10,000 PRs); in this index the rowid follows (run_id, status), so a claim reads only
-- as many entries as it takes. (006: other branches may hold 004 and 005.)
CREATE INDEX IF NOT EXISTS checkpoints_claim ON checkpoints (run_id, status);

-- Every transform commit asks whether the other work items of its raw page are still open
-- (raw_extraction_data.status). No index started with raw_id, so that scanned all work items of
-- every run the file ever held: a cost that grew with the database's age.
CREATE INDEX IF NOT EXISTS work_items_raw ON work_items (raw_id);

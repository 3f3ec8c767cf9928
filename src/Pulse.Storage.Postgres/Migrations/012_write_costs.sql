-- Raw answers (~1 MB of JSON per page) are TOASTed compressed. pglz, the default, was 3% of the database's CPU in a distributed
-- full sync (perf on its backends); lz4 compresses JSON nearly as well at a fraction of the CPU. Only new values are compressed
-- with it: rows stored before keep their pglz form, which PostgreSQL reads as before.
ALTER TABLE raw_extraction_data ALTER COLUMN payload SET COMPRESSION lz4;

-- A claim takes the first step's pending pages before the rest (RelationalCheckpointStore.ClaimTurnAsync). Read in id order
-- from checkpoints_claim, that walked past every pending page of the other steps first (13,000 rows, 18-43 ms per claim in
-- bench-org); this index holds just the rows that claim reads, in its order. The kinds are the first step's
-- (FetchKinds.StepOf); a claim whose list differed would still be answered, by another index.
CREATE INDEX checkpoints_claim_first ON checkpoints (run_id, id)
  WHERE status = 'pending' AND kind IN ('repository_head', 'pull_requests', 'timeline_events', 'labels', 'pull_request');

-- The first step's claim index, as PostgreSQL's 012: a claim takes the first step's pending pages before the rest, and read from
-- checkpoints_claim it walked past every pending page of the other steps first. (PostgreSQL's 012 also compresses raw answers
-- with lz4; SQLite stores them uncompressed.)
CREATE INDEX checkpoints_claim_first ON checkpoints (run_id, id)
  WHERE status = 'pending' AND kind IN ('repository_head', 'pull_requests', 'timeline_events', 'labels', 'pull_request');

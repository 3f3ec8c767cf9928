-- Fair share between runs (issue #4): an extraction message is a turn, and the database decides whose.
-- Each turn serves the running run with claimable work that was served least recently, so a run with a
-- big backlog (and many messages in circulation) cannot starve a small one that started later.
-- turns numbers the turns (exact order, no clock ties); starved counts messages that ended while other
-- claims were in flight, owed back by the next worker that commits (see RelationalCheckpointStore).
CREATE TABLE extraction_pool (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  turns INTEGER NOT NULL DEFAULT 0,
  starved INTEGER NOT NULL DEFAULT 0
);
INSERT INTO extraction_pool (id) VALUES (1);

CREATE TABLE extraction_turns (
  run_id INTEGER PRIMARY KEY REFERENCES etl_job_runs(id),
  last_turn INTEGER NOT NULL,
  last_served_at TEXT NOT NULL
);

-- Every claim looks for the running runs: few rows among every run the file ever held.
CREATE INDEX etl_job_runs_running ON etl_job_runs (id) WHERE status = 'running';

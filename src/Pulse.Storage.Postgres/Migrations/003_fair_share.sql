-- Fair share between runs (issue #4), as on SQLite: an extraction message is a turn, and the
-- database decides whose: the running run with claimable work that was served least recently.
-- A table of its own rather than a column of etl_job_runs: every commit of a run locks the run's row,
-- and a claim must not wait for them. The pool's single row serialises claims (one short transaction
-- each), so two workers claiming at once serve two different runs in turn order.
CREATE TABLE extraction_pool (
  id INT PRIMARY KEY CHECK (id = 1),
  turns BIGINT NOT NULL DEFAULT 0,
  starved BIGINT NOT NULL DEFAULT 0
);
INSERT INTO extraction_pool (id) VALUES (1);

CREATE TABLE extraction_turns (
  run_id BIGINT PRIMARY KEY REFERENCES etl_job_runs(id),
  last_turn BIGINT NOT NULL,
  last_served_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX etl_job_runs_running ON etl_job_runs (id) WHERE status = 'running';

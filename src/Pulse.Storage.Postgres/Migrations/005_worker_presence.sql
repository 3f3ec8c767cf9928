-- Workers of the shared queue: each live one beats (seen_at) for the stages it runs; one that refused to start (e.g. it
-- holds another PULSE_SECRET_KEY) leaves its reason, so a run nobody can serve fails naming why instead of waiting.
CREATE TABLE worker_presence (
  worker_id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  process_id INT NOT NULL,
  stages TEXT NOT NULL,
  seen_at TIMESTAMPTZ NOT NULL,
  refusal TEXT
);
CREATE INDEX worker_presence_seen ON worker_presence (seen_at);

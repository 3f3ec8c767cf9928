-- Workers of a shared queue (distributed mode), as on PostgreSQL: kept on SQLite for one schema on both
-- backends, though an embedded database has no worker processes.
CREATE TABLE worker_presence (
  worker_id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  process_id INTEGER NOT NULL,
  stages TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  refusal TEXT
);

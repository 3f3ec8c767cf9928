-- The fingerprint of the secret key this database was set up with (HMAC-SHA256 of a fixed label under the key, never the
-- key): a process holding another key is refused at start. One row; the first process to start records it.
CREATE TABLE key_fingerprint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);

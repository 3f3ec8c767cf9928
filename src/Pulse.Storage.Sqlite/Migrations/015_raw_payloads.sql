-- A raw answer's payload moves to a table of its own (issue 11). SQLite rewrites a whole row on any UPDATE of it, overflow
-- pages and all: marking an answer done (raw_extraction_data.status) wrote its payload again, 94 MB of a bench-org full sync's
-- writes (~110 MB with the WAL's frames). The payload is written once and never updated; the row that changes is small.
CREATE TABLE raw_extraction_payloads (
  raw_id INTEGER PRIMARY KEY REFERENCES raw_extraction_data(id) ON DELETE CASCADE,
  payload TEXT NOT NULL
);
INSERT INTO raw_extraction_payloads (raw_id, payload) SELECT id, payload FROM raw_extraction_data;
ALTER TABLE raw_extraction_data DROP COLUMN payload;

-- A raw answer's payload moves to a table of its own (issue 11), as on SQLite, where an UPDATE of the answer's row (marking it
-- done) rewrote the payload with it. PostgreSQL keeps an unchanged TOASTed value on update, so here the split changes only
-- the schema's shape: one schema on both backends. The payload stays JSON, compressed with lz4 (012_write_costs says why).
CREATE TABLE raw_extraction_payloads (
  raw_id BIGINT PRIMARY KEY REFERENCES raw_extraction_data(id) ON DELETE CASCADE,
  payload JSON NOT NULL
);
ALTER TABLE raw_extraction_payloads ALTER COLUMN payload SET COMPRESSION lz4;
INSERT INTO raw_extraction_payloads (raw_id, payload) SELECT id, payload FROM raw_extraction_data;
ALTER TABLE raw_extraction_data DROP COLUMN payload;

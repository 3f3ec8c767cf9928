-- A claim takes a run's oldest claimable checkpoints (ORDER BY id LIMIT n). On (run_id, status) alone PostgreSQL read and
-- sorted every pending checkpoint of the run per claim (~40,000 in bench-org, ~125 ms each) while claims queue on the
-- pool's row; with id in the index the claim reads its n rows in order and stops.
DROP INDEX checkpoints_claim;
CREATE INDEX checkpoints_claim ON checkpoints (run_id, status, id);

-- The raw answer is stored once and read back whole, as text, by its transform; nothing queries inside it. As jsonb PostgreSQL
-- parsed every answer into its binary form on the way in and printed it back to text on the way out (~1 MB per page);
-- json keeps the text as sent, checked once. SQLite keeps it as TEXT already.
ALTER TABLE raw_extraction_data ALTER COLUMN payload TYPE JSON USING payload::text::json;

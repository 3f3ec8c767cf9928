-- A claim takes a run's oldest claimable checkpoints (ORDER BY id LIMIT n). On (run_id, status) alone PostgreSQL read and
-- sorted every pending checkpoint of the run per claim (~40,000 in bench-org, ~125 ms each) while claims queue on the
-- pool's row; with id in the index the claim reads its n rows in order and stops.
DROP INDEX checkpoints_claim;
CREATE INDEX checkpoints_claim ON checkpoints (run_id, status, id);

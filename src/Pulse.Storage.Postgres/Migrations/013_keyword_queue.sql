-- Nothing to do on PostgreSQL: its keyword index (a GIN index over a generated tsvector column) is kept in step by each statement. On
-- SQLite this migration queues FTS5's writes per transaction; the number is kept alike on both backends.
SELECT 1;

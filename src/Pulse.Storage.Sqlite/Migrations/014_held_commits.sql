-- A PR asked by node id (a webhook's refresh) carries the head commit and commit count Pulse held of it, when Pulse held every
-- one of its commits: if GitHub answers with the same head and count, the commits are unchanged (an oid fixes a commit's content
-- and its ancestors) and are kept instead of asked again.
ALTER TABLE checkpoints ADD COLUMN held_head_oid TEXT;
ALTER TABLE checkpoints ADD COLUMN held_commits INTEGER;

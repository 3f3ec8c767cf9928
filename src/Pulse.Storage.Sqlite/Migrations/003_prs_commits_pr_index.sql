-- prs_commits had no index that starts with pr_id (its unique key starts with tenant_id), so every
-- per-PR lookup (the derived commit_count and rework_commit_count after a run) scanned the whole
-- table: minutes at 10,000 PRs. (003: the server branch holds 002.)
CREATE INDEX IF NOT EXISTS prs_commits_pr ON prs_commits (pr_id);

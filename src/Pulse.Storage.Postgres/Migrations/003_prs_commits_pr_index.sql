-- As on SQLite (its 003): prs_commits had no index starting with pr_id (its unique key starts with
-- tenant_id), so the per-PR commit counts derived after a run scanned the table once per PR.
CREATE INDEX IF NOT EXISTS prs_commits_pr ON prs_commits (pr_id);

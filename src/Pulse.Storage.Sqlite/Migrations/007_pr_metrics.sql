-- Issue 13: a PR's lifecycle events and labels (fetched by the github_pull_requests step) and its flow metrics, one row
-- per PR, recomputed by the run's sweep for every PR the run touched (and for a whole integration when its bot list changes).
CREATE TABLE prs_timeline_events (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  node_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  actor_login TEXT,
  actor_type TEXT,
  requested_reviewer TEXT,
  requested_reviewer_type TEXT,
  before_commit_oid TEXT,
  after_commit_oid TEXT,
  created_at TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, node_id)
);
CREATE INDEX prs_timeline_events_pr ON prs_timeline_events (pr_id, created_at);

CREATE TABLE prs_labels (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  node_id TEXT NOT NULL,
  name TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, pr_id, node_id)
);

CREATE TABLE pr_metrics (
  pr_id INTEGER PRIMARY KEY REFERENCES prs(id),
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  opened_as_draft INTEGER NOT NULL,
  ready_at TEXT,
  draft_seconds INTEGER,
  first_commit_at TEXT,
  first_review_at TEXT,
  coding_seconds INTEGER,
  pickup_seconds INTEGER,
  review_seconds INTEGER,
  cycle_seconds INTEGER,
  time_to_merge_seconds INTEGER,
  review_requests INTEGER NOT NULL,
  reviewers INTEGER NOT NULL,
  approvals INTEGER NOT NULL,
  changes_requested INTEGER NOT NULL,
  rework_commits INTEGER,
  force_pushes INTEGER NOT NULL,
  size INTEGER NOT NULL,
  changed_files INTEGER NOT NULL,
  author_is_bot INTEGER NOT NULL,
  computed_at TEXT NOT NULL
);
CREATE INDEX pr_metrics_tenant ON pr_metrics (tenant_id, repository_id);

-- Pulse schema on SQLite (PostgreSQL's 001_schema.sql holds the same tables: timestamptz, boolean, jsonb, vector there).
-- tenant_id on every row; every child row has a real foreign key to its parent. Timestamps are UTC ISO-8601 text, so text order is time order.
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE integrations (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  provider TEXT NOT NULL,
  graphql_url TEXT NOT NULL,
  owner TEXT NOT NULL,
  token_protected TEXT NOT NULL,
  settings TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, provider, graphql_url, owner)
);

CREATE TABLE repositories (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  integration_id INTEGER NOT NULL REFERENCES integrations(id),
  node_id TEXT NOT NULL,
  database_id INTEGER,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  full_name TEXT NOT NULL,
  description TEXT,
  is_private INTEGER NOT NULL DEFAULT 0,
  is_archived INTEGER NOT NULL DEFAULT 0,
  is_fork INTEGER NOT NULL DEFAULT 0,
  default_branch TEXT,
  language TEXT,
  created_at TEXT,
  updated_at TEXT,
  pushed_at TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, node_id)
);

CREATE TABLE prs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  node_id TEXT NOT NULL,
  database_id INTEGER,
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT,
  url TEXT,
  state TEXT NOT NULL,
  is_draft INTEGER NOT NULL,
  author_login TEXT,
  author_type TEXT,
  merged_by_login TEXT,
  base_ref_name TEXT,
  head_ref_name TEXT,
  base_ref_oid TEXT,
  head_ref_oid TEXT,
  additions INTEGER NOT NULL,
  deletions INTEGER NOT NULL,
  changed_files INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  merged_at TEXT,
  commits_total INTEGER NOT NULL,
  reviews_total INTEGER NOT NULL,
  comments_total INTEGER NOT NULL,
  review_threads_total INTEGER NOT NULL,
  commit_count INTEGER,
  review_count INTEGER,
  issue_comment_count INTEGER,
  review_comment_count INTEGER,
  first_review_at TEXT,
  review_cycles INTEGER,
  rework_commit_count INTEGER,
  content_hash TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, node_id)
);
CREATE INDEX prs_repository ON prs (repository_id, updated_at);
CREATE INDEX prs_seen ON prs (last_seen_run_id);

CREATE TABLE prs_commits (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  oid TEXT NOT NULL,
  message TEXT NOT NULL,
  author_name TEXT,
  author_email TEXT,
  author_login TEXT,
  committer_name TEXT,
  committer_email TEXT,
  committer_login TEXT,
  authored_date TEXT,
  committed_date TEXT,
  additions INTEGER,
  deletions INTEGER,
  content_hash TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, pr_id, oid)
);

CREATE TABLE prs_reviews (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  node_id TEXT NOT NULL,
  database_id INTEGER,
  author_login TEXT,
  author_type TEXT,
  state TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  submitted_at TEXT,
  updated_at TEXT,
  commit_oid TEXT,
  content_hash TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, node_id)
);
CREATE INDEX prs_reviews_pr ON prs_reviews (pr_id);

CREATE TABLE prs_review_threads (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  node_id TEXT NOT NULL,
  is_resolved INTEGER NOT NULL,
  is_outdated INTEGER NOT NULL,
  is_collapsed INTEGER NOT NULL,
  path TEXT,
  line INTEGER,
  start_line INTEGER,
  diff_side TEXT,
  resolved_by_login TEXT,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, node_id)
);
CREATE INDEX prs_review_threads_pr ON prs_review_threads (pr_id);

CREATE TABLE prs_comments (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  node_id TEXT NOT NULL,
  database_id INTEGER,
  comment_type TEXT NOT NULL CHECK (comment_type IN ('issue', 'review')),
  thread_id INTEGER REFERENCES prs_review_threads(id),
  review_id INTEGER REFERENCES prs_reviews(id),
  review_node_id TEXT,
  author_login TEXT,
  author_type TEXT,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT,
  path TEXT,
  line INTEGER,
  original_line INTEGER,
  diff_hunk TEXT,
  reply_to_node_id TEXT,
  content_hash TEXT NOT NULL,
  last_seen_run_id INTEGER,
  UNIQUE (tenant_id, node_id)
);
CREATE INDEX prs_comments_pr ON prs_comments (pr_id);

CREATE TABLE etl_jobs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  integration_id INTEGER NOT NULL REFERENCES integrations(id),
  job_name TEXT NOT NULL,
  status TEXT NOT NULL,
  overall TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  schedule_interval_minutes INTEGER NOT NULL DEFAULT 240,
  retry_interval_minutes INTEGER NOT NULL DEFAULT 15,
  last_sync_date TEXT,
  last_run_started_at TEXT,
  last_run_finished_at TEXT,
  next_run TEXT,
  error_message TEXT,
  retry_count INTEGER NOT NULL DEFAULT 0,
  current_run_id INTEGER,
  rate_limit_resume_at TEXT,
  UNIQUE (tenant_id, integration_id, job_name)
);

CREATE TABLE etl_job_runs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  job_id INTEGER NOT NULL REFERENCES etl_jobs(id),
  integration_id INTEGER NOT NULL REFERENCES integrations(id),
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  since TEXT,
  embeddings_enabled INTEGER NOT NULL,
  error TEXT,
  points INTEGER NOT NULL DEFAULT 0,
  requests INTEGER NOT NULL DEFAULT 0,
  pages INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run_stages (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  step TEXT NOT NULL,
  stage TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_id, step, stage)
);

CREATE TABLE run_steps (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  step TEXT NOT NULL,
  items_total INTEGER NOT NULL DEFAULT 0,
  items_done INTEGER NOT NULL DEFAULT 0,
  pages INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, step)
);

CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  kind TEXT NOT NULL,
  parent_node_id TEXT NOT NULL,
  pr_node_id TEXT,
  cursor TEXT,
  remaining INTEGER NOT NULL DEFAULT 0,
  since TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  page_size INTEGER NOT NULL DEFAULT 100,
  lease_owner TEXT,
  lease_until TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  items INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  failed_at TEXT,
  UNIQUE (run_id, kind, parent_node_id)
);
CREATE INDEX checkpoints_pending ON checkpoints (run_id, status, kind);

CREATE TABLE raw_extraction_data (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  integration_id INTEGER NOT NULL REFERENCES integrations(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  entity_type TEXT NOT NULL,
  query_hash TEXT NOT NULL,
  variables TEXT NOT NULL,
  payload TEXT NOT NULL,
  units TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
  error TEXT,
  points INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX raw_extraction_data_run ON raw_extraction_data (run_id, status);

CREATE TABLE work_items (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  step TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('transform', 'embedding')),
  raw_id INTEGER REFERENCES raw_extraction_data(id),
  payload TEXT,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  failed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX work_items_transform ON work_items (run_id, step, stage, raw_id) WHERE raw_id IS NOT NULL;
CREATE INDEX work_items_open ON work_items (run_id, step, stage, state);

CREATE TABLE embeddings (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  table_name TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  model TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  dimensions INTEGER NOT NULL,
  vector BLOB NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, table_name, row_id, model)
);

-- Per-PR lookups of commits (the derived counts after a run) need an index that starts with pr_id.
CREATE INDEX prs_commits_pr ON prs_commits (pr_id);
-- The API lists a tenant's PRs newest first.
CREATE INDEX prs_tenant_updated ON prs (tenant_id, updated_at DESC, id DESC);
-- Claims take the oldest pending checkpoints of a run (ORDER BY id LIMIT n): here the rowid follows (run_id, status),
-- so a claim reads only as many entries as it takes.
CREATE INDEX checkpoints_claim ON checkpoints (run_id, status);
-- Every transform commit asks whether the other work items of its raw page are still open.
CREATE INDEX work_items_raw ON work_items (raw_id);

-- Every stage transition of a run, appended in the transaction that flips it: proof that each stage ended once.
CREATE TABLE run_stage_events (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  run_id INTEGER NOT NULL REFERENCES etl_job_runs(id),
  step TEXT NOT NULL,
  stage TEXT NOT NULL,
  state TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX run_stage_events_run ON run_stage_events (run_id);

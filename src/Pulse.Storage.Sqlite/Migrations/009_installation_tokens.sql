-- GitHub App installation tokens, shared by every process of a deployment: one row per installation, named by host, App id
-- and installation id (nothing secret), the token encrypted with the deployment's secret key. The process that finds the
-- token due holds the row while it asks GitHub for the next one, so the others wait for that token instead of asking too.
CREATE TABLE installation_tokens (
  installation_key TEXT PRIMARY KEY,
  token_protected TEXT,
  expires_at TEXT,
  minted_at TEXT
);

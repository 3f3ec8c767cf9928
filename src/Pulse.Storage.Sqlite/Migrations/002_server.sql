-- Server: API keys (only their SHA-256 hash is kept) and job leases (one runner per job across processes).
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE job_leases (
  job_id INTEGER PRIMARY KEY REFERENCES etl_jobs(id),
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  owner TEXT NOT NULL,
  lease_until TEXT NOT NULL
);

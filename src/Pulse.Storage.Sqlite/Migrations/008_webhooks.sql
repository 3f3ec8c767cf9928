-- Webhooks (issue 15): each integration's signing secret (encrypted by the secret protector, never returned), and every
-- delivery GitHub sent with a good signature, raw as received, with what became of it. A delivery id is stored once per
-- integration: a replay does the work once. Failed deliveries are retried up to a bound (attempts, retry_at).
ALTER TABLE integrations ADD COLUMN webhook_secret_protected TEXT;

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  integration_id INTEGER NOT NULL REFERENCES integrations(id),
  delivery_id TEXT NOT NULL,
  event TEXT NOT NULL,
  action TEXT,
  received_at TEXT NOT NULL,
  payload BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'ignored')),
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  retry_at TEXT,
  finished_at TEXT,
  UNIQUE (integration_id, delivery_id)
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (status, retry_at);
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, id);

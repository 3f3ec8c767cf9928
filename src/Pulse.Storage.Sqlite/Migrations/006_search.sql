-- Keyword search (issue 16): one document per searchable row (PR, commit, review, comment) holding its text as
-- SearchText.Index wrote it (lower-case letter/digit tokens; an identifier such as ERR_CONN_RESET_42, PROJ-1234 or
-- parseHeaderV2 also as one joined token), plus what the filters need. FTS5 indexes that text (external content, kept in
-- step by the triggers below); unicode61 with remove_diacritics 0 splits it exactly as PostgreSQL's 'simple' parser does.
CREATE TABLE search_documents (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  table_name TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  pr_id INTEGER NOT NULL REFERENCES prs(id),
  author_login TEXT,
  created_at TEXT,
  text TEXT NOT NULL,
  UNIQUE (table_name, row_id)
);
CREATE INDEX search_documents_pr ON search_documents (pr_id);

CREATE VIRTUAL TABLE search_fts USING fts5(text, content = 'search_documents', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER search_documents_update AFTER UPDATE OF text ON search_documents BEGIN
  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;

-- Rows synced before this migration: their text lower-cased as it is (words are found; joined identifier tokens come when
-- a later sync rewrites the row).
INSERT INTO search_documents (tenant_id, table_name, row_id, pr_id, author_login, created_at, text)
SELECT tenant_id, 'prs', id, id, author_login, created_at, lower(title || ' ' || COALESCE(body, '') || ' ' || COALESCE(head_ref_name, '')) FROM prs;
INSERT INTO search_documents (tenant_id, table_name, row_id, pr_id, author_login, created_at, text)
SELECT tenant_id, 'prs_commits', id, pr_id, author_login, COALESCE(committed_date, authored_date), lower(message || ' ' || oid) FROM prs_commits;
INSERT INTO search_documents (tenant_id, table_name, row_id, pr_id, author_login, created_at, text)
SELECT tenant_id, 'prs_reviews', id, pr_id, author_login, COALESCE(submitted_at, created_at), lower(body) FROM prs_reviews;
INSERT INTO search_documents (tenant_id, table_name, row_id, pr_id, author_login, created_at, text)
SELECT tenant_id, 'prs_comments', id, pr_id, author_login, created_at, lower(body) FROM prs_comments;

-- The embed stage reuses a vector of the same text (content hash) instead of embedding it again.
CREATE INDEX embeddings_content ON embeddings (tenant_id, model, content_hash);

-- The embed stage's progress per step (issue 16): texts queued for embedding (rows, as the transform queued them) and done.
ALTER TABLE run_steps ADD COLUMN embed_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_steps ADD COLUMN embed_done INTEGER NOT NULL DEFAULT 0;

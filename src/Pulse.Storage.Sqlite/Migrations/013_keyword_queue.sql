-- The keyword index is written once per write transaction instead of once per document (issue 11).
-- Inside a transaction SQLite opens a savepoint around every statement that fires a trigger, and FTS5 writes all its
-- pending terms to disk at each savepoint: one new segment per document, whose sort and clear of FTS5's term hash were a
-- fifth of an embedded sync's CPU. The triggers now only note which documents changed, and the writer indexes them in
-- two statements before it commits (SqliteDatabase.IndexQueuedDocuments): readers never see the queue non-empty.
--
-- A queued document: indexed_text is the text the index holds for it (NULL when the index has none, as for a new one),
-- gone marks a deleted one. The first change in a transaction decides indexed_text; later ones keep it.
CREATE TABLE search_fts_queue (
  doc_id INTEGER PRIMARY KEY,
  indexed_text TEXT,
  gone INTEGER NOT NULL DEFAULT 0
);

DROP TRIGGER search_documents_insert;
DROP TRIGGER search_documents_delete;
DROP TRIGGER search_documents_update;

-- A new document may reuse the id of one deleted earlier in the same transaction: the index still holds that one's text.
CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
  INSERT INTO search_fts_queue (doc_id) VALUES (new.id) ON CONFLICT (doc_id) DO UPDATE SET gone = 0;
END;
CREATE TRIGGER search_documents_update AFTER UPDATE OF text ON search_documents BEGIN
  INSERT INTO search_fts_queue (doc_id, indexed_text) VALUES (old.id, old.text) ON CONFLICT (doc_id) DO NOTHING;
END;
CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
  INSERT INTO search_fts_queue (doc_id, indexed_text, gone) VALUES (old.id, old.text, 1) ON CONFLICT (doc_id) DO UPDATE SET gone = 1;
END;

-- Idempotency keys of field writes (docs/offline.md): a phone that resends a write it made
-- offline gets the first result back instead of a second record. One row per (user, key):
-- `pending` while the first request works, `complete` with its status and JSON body after.
CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'complete')),
    status INTEGER,
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
CREATE UNIQUE INDEX idempotency_keys_user_key ON idempotency_keys (user_id, idem_key);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

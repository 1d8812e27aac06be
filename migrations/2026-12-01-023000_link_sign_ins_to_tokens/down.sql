-- SQLite cannot drop a column that holds a foreign key: rebuild the table as it was.
-- Tokens stored as SHA-256 since the upgrade stay so; an sdreview from before cannot check
-- them, so reissue those tokens (`sdreview token create`) after going back.
CREATE TABLE web_sessions_before_tokens (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
INSERT INTO web_sessions_before_tokens (id_hash, user_id, csrf_token, created_at, expires_at, revoked_at)
    SELECT id_hash, user_id, csrf_token, created_at, expires_at, revoked_at FROM web_sessions;
DROP TABLE web_sessions;
ALTER TABLE web_sessions_before_tokens RENAME TO web_sessions;
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

-- Browser sign-ins remember the credential that made them: the token's id, or NULL for a
-- password. Revoking a token ends the sign-ins made with it (`sdreview token revoke`), a
-- password change ends those made with the password, and a live sign-in made with a token
-- also needs that token to be live.
ALTER TABLE web_sessions ADD COLUMN token_id INTEGER REFERENCES api_tokens (id) ON DELETE CASCADE;
CREATE INDEX web_sessions_by_token ON web_sessions (token_id);

-- Sign-ins from before this migration cannot say which credential made them, so revoking a
-- token could not end them. They end here: everyone signs in once more after the upgrade.
UPDATE web_sessions SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL;

-- Access tokens change how they are stored, with no change of column: `api_tokens.secret_hash`
-- now holds the hex SHA-256 of the token's secret (256 random bits need no slow hash, and an
-- unauthenticated request then costs next to nothing). Rows written before hold an argon2id PHC
-- string (`$argon2id$...`). They keep working: the server recognises the prefix, verifies such
-- a token with argon2 on its first successful use and rewrites its row as SHA-256. No token
-- has to be reissued.

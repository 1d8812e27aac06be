-- One-time sign-in links: an admin (or the person themselves) makes one, another device opens
-- it and is signed in. Like access tokens and sign-in cookies, the link's secret (256 random
-- bits) is kept only as its SHA-256 (`secret_hash`), so a copy of the database cannot be used
-- to sign in. A link works once (`used_at`), until `expires_at`, unless revoked first.
CREATE TABLE sign_in_links (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX sign_in_links_user ON sign_in_links (user_id);

-- The link a browser sign-in was made with (NULL for a token or a password): such a sign-in
-- does not end when the password changes.
ALTER TABLE web_sessions ADD COLUMN link_id INTEGER REFERENCES sign_in_links(id);

-- What the admin page shows of each sign-in: the browser it came from and when it was last
-- used (refreshed at most once a minute).
ALTER TABLE web_sessions ADD COLUMN user_agent TEXT;
ALTER TABLE web_sessions ADD COLUMN last_seen_at TIMESTAMP;

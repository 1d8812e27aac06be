-- Times the server stamps are stored as UTC from here on; before, they were the server's local
-- wall-clock time (except images.created_at and the sign-ins this file's predecessors revoked,
-- which SQLite's CURRENT_TIMESTAMP had already written in UTC). SQL cannot know the zone the
-- server ran in, so the program converts the stored times right after this migration, once,
-- and deletes this row in the same transaction (db::utc_times). A database with nothing in it
-- gets no row: it has nothing to convert.
CREATE TABLE times_to_convert (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1)
);
INSERT INTO times_to_convert (id)
SELECT 1 WHERE EXISTS (SELECT 1 FROM users)
    OR EXISTS (SELECT 1 FROM sessions)
    OR EXISTS (SELECT 1 FROM import_runs)
    OR EXISTS (SELECT 1 FROM analytics_cache);

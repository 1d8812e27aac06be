-- The sessions list sorts by shown name and filters by star; the trash lists deleted images.
-- The list binds its flags as parameters, which a partial index cannot serve, so the star
-- index holds the flags itself. Few images are deleted, so theirs is a tiny partial index;
-- db/trash.rs writes `is_deleted = 1` literally so that SQLite can use it.
CREATE INDEX sessions_by_shown_name
    ON sessions (is_deleted, is_archived, coalesce(display_name, name) COLLATE NOCASE);
CREATE INDEX sessions_starred ON sessions (is_starred, is_deleted, is_archived, created_at);
CREATE INDEX images_deleted ON images (id) WHERE is_deleted = 1;

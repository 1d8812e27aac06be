-- The sessions list sorts by shown name and filters by star; the trash lists deleted images.
-- Partial indexes stay tiny: few rows are starred or deleted.
CREATE INDEX sessions_by_shown_name
    ON sessions (is_deleted, is_archived, coalesce(display_name, name) COLLATE NOCASE);
CREATE INDEX sessions_starred ON sessions (created_at) WHERE is_starred = 1;
CREATE INDEX images_deleted ON images (id) WHERE is_deleted = 1;

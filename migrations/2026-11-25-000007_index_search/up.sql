-- A search's matching images come straight from these (prompt text -> image id) without
-- reading the images table; only images a gallery can show are in them. Queries must write
-- `is_deleted = 0 AND on_disk = 1` literally for SQLite to use them (db/gallery.rs does).
CREATE INDEX images_live_by_prompt ON images (prompt_id, session_id) WHERE is_deleted = 0 AND on_disk = 1;
CREATE INDEX images_live_by_negative_prompt ON images (negative_prompt_id, session_id)
    WHERE is_deleted = 0 AND on_disk = 1;

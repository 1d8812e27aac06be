-- The statistics read every filtered image's session and verdict flags: a million rows in the
-- benchmark. From the table that read walks rows that carry each image's metadata (and the
-- counters sit after it, often on overflow pages), then works the flags out per row. This
-- index holds exactly what the read needs, the flags already worked out: SQLite (3.41 and
-- later) reads an indexed expression from the index when a query spells the same expression,
-- as `db::stats::FLAGS` does (a test checks the plan). Leading with the session lets a filter
-- on session facts (a model, a tag) seek the sessions it keeps. Each rating rewrites one entry.
CREATE INDEX images_for_stats ON images (
    session_id,
    ((broken IS NOT NULL) | ((rater_count > 0) << 1) | ((like_count > 0) << 2)
        | ((perfect_count > 0) << 3) | ((imperfect_count > 0) << 4) | ((ok_count > 0) << 5)
        | ((ko_count > 0) << 6)),
    is_deleted,
    on_disk
);

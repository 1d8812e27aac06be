-- The sessions list sorted by image count, like rate or KO rate: each index holds its sort key
-- with the session id, so a page is the next entries of an index walk (`db::session_list`
-- writes the show filter so that SQLite walks these rather than reading and sorting every
-- session). The rate expressions are spelled exactly as the query spells them: SQLite serves
-- an ORDER BY from an expression index only when the expression is the same.
CREATE INDEX session_stats_by_images ON session_stats (image_count, session_id);
CREATE INDEX session_stats_by_like_rate
    ON session_stats ((CAST(liked_count AS REAL) / max(image_count, 1)), session_id);
CREATE INDEX session_stats_by_ko_rate
    ON session_stats ((CAST(ko_count AS REAL) / max(image_count, 1)), session_id);

-- The review order `uncertain` (nearest 0.5 first, then id) walks this index from one image
-- to the next. It used to walk the probability index twice, outwards from 0.5, and mirror
-- the cursor's distance through floating-point arithmetic, which skipped images whose
-- distance equalled the cursor's but whose mirrored probability rounded the other way.
-- Spelled exactly as `db::ko_predictions::PREDICTION_DOUBT` (SQLite uses an expression index
-- only for the same expression).
CREATE INDEX images_by_prediction_doubt ON images (
    abs(iif(json_valid(ml_predictions), json_extract(ml_predictions, '$.sdreview_ko.ko'), NULL) - 0.5)
);

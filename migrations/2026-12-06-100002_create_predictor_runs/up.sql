-- The KO predictor (docs/insights.md): each training's model and its measured accuracy. The
-- predictions themselves go to `images.ml_predictions` under the key `sdreview_ko`, beside
-- the owner's own classifiers; the indexes below serve the gallery's `sort=likely_ko` and
-- `predicted=ko` and review's `order=likely_ko` without reading the JSON of every image.
CREATE TABLE predictor_runs (
    id INTEGER PRIMARY KEY NOT NULL,
    trained_at TIMESTAMP NOT NULL,
    -- The feature set and label rule the model was made with (`predict::VERSION`).
    version INTEGER NOT NULL,
    -- Judgements with a status when it was trained: the background retrains as they grow.
    judgements INTEGER NOT NULL,
    -- The held-out figures (JSON, `predict::train::Report`).
    report TEXT NOT NULL,
    -- The vocabulary and weights (JSON), to score images imported after the training.
    model TEXT NOT NULL
);

-- Spelled exactly as `db::ko_predictions::PREDICTED_KO` spells it (SQLite uses an expression
-- index only for the same expression); text that is not JSON counts as no prediction.
CREATE INDEX images_by_predicted_ko ON images (
    iif(json_valid(ml_predictions), json_extract(ml_predictions, '$.sdreview_ko.ko'), NULL)
);

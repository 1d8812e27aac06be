-- The sessions list filters by model or sampler together with the flags it always applies,
-- and counts what it keeps: with the flags in the index, both read the index alone instead of
-- looking up every session of the model.
DROP INDEX sessions_by_model;
DROP INDEX sessions_by_sampler;
CREATE INDEX sessions_by_model ON sessions (model_name, is_deleted, is_archived, created_at);
CREATE INDEX sessions_by_sampler ON sessions (sampler, is_deleted, is_archived, created_at);

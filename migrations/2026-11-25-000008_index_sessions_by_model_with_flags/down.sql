DROP INDEX sessions_by_sampler;
DROP INDEX sessions_by_model;
CREATE INDEX sessions_by_model ON sessions (model_name, created_at);
CREATE INDEX sessions_by_sampler ON sessions (sampler, created_at);

DROP VIEW image_metadata;
DROP TRIGGER sessions_fts_update;
DROP TRIGGER sessions_fts_delete;
DROP TRIGGER sessions_fts_insert;
DROP TABLE sessions_fts;
DROP TRIGGER prompts_fts_delete;
DROP TABLE prompts_fts;

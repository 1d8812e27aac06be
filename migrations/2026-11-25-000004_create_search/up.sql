-- Full-text search over prompts and negative prompts: an external-content FTS5 index over the
-- distinct texts, so each text is stored and indexed once. Texts are never updated in place.
-- New texts are indexed by the importer with one INSERT ... SELECT per transaction, not by a
-- trigger: FTS5 flushes its pending terms at every statement savepoint, and a trigger made
-- a first import several times slower.
CREATE VIRTUAL TABLE prompts_fts USING fts5 (
    text,
    content = 'prompt_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER prompts_fts_delete AFTER DELETE ON prompt_texts BEGIN
    INSERT INTO prompts_fts (prompts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE VIRTUAL TABLE sessions_fts USING fts5 (
    folder_name, display_name,
    content = 'sessions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts (rowid, folder_name, display_name) VALUES (new.id, new.folder_name, new.display_name);
END;
CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_fts (sessions_fts, rowid, folder_name, display_name)
    VALUES ('delete', old.id, old.folder_name, old.display_name);
END;
CREATE TRIGGER sessions_fts_update AFTER UPDATE OF folder_name, display_name ON sessions BEGIN
    INSERT INTO sessions_fts (sessions_fts, rowid, folder_name, display_name)
    VALUES ('delete', old.id, old.folder_name, old.display_name);
    INSERT INTO sessions_fts (rowid, folder_name, display_name) VALUES (new.id, new.folder_name, new.display_name);
END;

-- Each image's whole metadata as one JSON object: the stored per-image facts with the prompt,
-- the negative prompt and the parsed parameters (the session's shared values patched with the
-- image's own) put back. The A1111 text itself is rebuilt exactly from these by sdreview, or is
-- stored verbatim in `parameters` when it could not be.
CREATE VIEW image_metadata AS
SELECT i.id AS id,
       json_set(
           i.metadata,
           '$.prompt', p.text,
           '$.negative_prompt', n.text,
           '$.parameters_parsed',
           CASE WHEN json_type(i.metadata, '$.parameters_parsed') IS NULL THEN NULL
                ELSE json(json_patch(coalesce(json_extract(s.metadata, '$.parameters_common'), '{}'),
                                     json_extract(i.metadata, '$.parameters_parsed')))
           END
       ) AS metadata
FROM images i
JOIN sessions s ON s.id = i.session_id
LEFT JOIN prompt_texts p ON p.id = i.prompt_id
LEFT JOIN prompt_texts n ON n.id = i.negative_prompt_id;

-- Full-text search over prompts: an external-content FTS5 index reading the text from the
-- image metadata, so the prompts are stored once. Triggers keep it in step with every write.
CREATE VIEW image_texts AS
    SELECT id,
           json_extract(metadata, '$.prompt') AS prompt,
           json_extract(metadata, '$.negative_prompt') AS negative_prompt
    FROM images;

CREATE VIRTUAL TABLE images_fts USING fts5 (
    prompt, negative_prompt,
    content = 'image_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_fts (rowid, prompt, negative_prompt)
    VALUES (new.id, json_extract(new.metadata, '$.prompt'), json_extract(new.metadata, '$.negative_prompt'));
END;
CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt, negative_prompt)
    VALUES ('delete', old.id, json_extract(old.metadata, '$.prompt'), json_extract(old.metadata, '$.negative_prompt'));
END;
CREATE TRIGGER images_fts_update AFTER UPDATE OF metadata ON images BEGIN
    INSERT INTO images_fts (images_fts, rowid, prompt, negative_prompt)
    VALUES ('delete', old.id, json_extract(old.metadata, '$.prompt'), json_extract(old.metadata, '$.negative_prompt'));
    INSERT INTO images_fts (rowid, prompt, negative_prompt)
    VALUES (new.id, json_extract(new.metadata, '$.prompt'), json_extract(new.metadata, '$.negative_prompt'));
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

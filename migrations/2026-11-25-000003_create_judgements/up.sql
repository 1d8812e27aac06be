-- Extensible: new categories are rows, not code.
CREATE TABLE failure_categories (
    name TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_builtin BOOLEAN NOT NULL DEFAULT 0
);
INSERT INTO failure_categories (name, label, position, is_builtin) VALUES
    ('malformed', 'Malformed (anatomy, hands, faces)', 1, 1),
    ('noise', 'Noise or artefacts', 2, 1),
    ('incomplete', 'Incomplete', 3, 1),
    ('off_prompt', 'Off prompt', 4, 1);

-- One judgement per user and image: several people rate the same images.
-- Images are never hard-deleted, so no cascade: a judgement can only go with its image on purpose.
CREATE TABLE judgements (
    id INTEGER PRIMARY KEY NOT NULL,
    image_id INTEGER NOT NULL REFERENCES images (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    quality TEXT CHECK (quality IN ('perfect', 'imperfect')),
    liked BOOLEAN NOT NULL DEFAULT 0,
    status TEXT CHECK (status IN ('ok', 'ko')),
    failure_category TEXT REFERENCES failure_categories (name),
    failure_notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (image_id, user_id)
);
CREATE INDEX judgements_by_user ON judgements (user_id, image_id);
CREATE INDEX judgements_by_status ON judgements (status, failure_category);

CREATE TABLE analytics_cache (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    -- Compared with a counter bumped by writes, so a stale entry is never served.
    data_version BIGINT NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

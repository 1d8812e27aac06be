-- One row per session folder of the library. Folders that vanish from disk keep their row
-- (on_disk = 0): their judgements and notes are the user's data.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    folder_name TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    is_test BOOLEAN NOT NULL DEFAULT 0,
    is_failed BOOLEAN NOT NULL DEFAULT 0,
    is_archived BOOLEAN NOT NULL DEFAULT 0,
    is_deleted BOOLEAN NOT NULL DEFAULT 0,
    is_starred BOOLEAN NOT NULL DEFAULT 0,
    display_name TEXT,
    notes TEXT,
    -- The whole manifest snapshot (or what was inferred for a legacy session), as JSON.
    metadata TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL CHECK (source IN ('manifest', 'legacy_config', 'images_only')),
    manifest_error TEXT,
    -- Manifest entries whose file is not on disk, kept whole (JSON array).
    missing_listed TEXT NOT NULL DEFAULT '[]',
    template_name TEXT,
    theme TEXT,
    style TEXT,
    model_name TEXT,
    model_hash TEXT,
    sampler TEXT,
    scheduler TEXT,
    steps INTEGER,
    cfg_scale DOUBLE,
    width INTEGER,
    height INTEGER,
    images_requested INTEGER,
    -- Sizes and mtimes of manifest.json / session_config.txt, to notice a rewritten manifest.
    source_signature TEXT NOT NULL DEFAULT '',
    on_disk BOOLEAN NOT NULL DEFAULT 1,
    scanned_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_created_at ON sessions (created_at);
CREATE INDEX sessions_by_model ON sessions (model_name, created_at);
CREATE INDEX sessions_by_sampler ON sessions (sampler, created_at);
CREATE INDEX sessions_by_flags ON sessions (is_deleted, is_archived, created_at);

CREATE TABLE session_tags (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (session_id, tag)
) WITHOUT ROWID;
CREATE INDEX session_tags_by_tag ON session_tags (tag, session_id);

-- Prompts and negative prompts, each distinct text stored once: a session repeats its
-- negative prompt on every image, and combinatorial runs repeat prompts across seeds.
-- `hash` is the 128-bit XXH3 of the text.
CREATE TABLE prompt_texts (
    id INTEGER PRIMARY KEY NOT NULL,
    hash BLOB NOT NULL UNIQUE,
    text TEXT NOT NULL
);

-- One row per image file (PNG, JPEG, WebP), broken ones included.
CREATE TABLE images (
    id INTEGER PRIMARY KEY NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    filename TEXT NOT NULL,
    -- seed, variations, file facts, PNG parameters and anything else; the view image_metadata
    -- adds the prompts and the session's shared parameters back (docs/database.md).
    metadata TEXT NOT NULL DEFAULT '{}',
    prompt_id INTEGER REFERENCES prompt_texts (id),
    negative_prompt_id INTEGER REFERENCES prompt_texts (id),
    ml_predictions TEXT,
    notes TEXT,
    is_deleted BOOLEAN NOT NULL DEFAULT 0,
    format TEXT NOT NULL,
    seed BIGINT,
    width INTEGER,
    height INTEGER,
    file_size BIGINT NOT NULL,
    file_mtime_ns BIGINT NOT NULL,
    -- Why the file cannot be read as an image; NULL when it can.
    broken TEXT,
    listed BOOLEAN NOT NULL DEFAULT 0,
    on_disk BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (session_id, filename)
);
CREATE INDEX images_by_seed ON images (seed);
CREATE INDEX images_by_prompt ON images (prompt_id);
CREATE INDEX images_by_negative_prompt ON images (negative_prompt_id);
CREATE INDEX images_broken ON images (session_id) WHERE broken IS NOT NULL;

-- Placeholder variations in a shape that filters and statistics query fast.
CREATE TABLE variations (
    id INTEGER PRIMARY KEY NOT NULL,
    placeholder TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (placeholder, value)
);
CREATE TABLE image_variations (
    image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    variation_id INTEGER NOT NULL REFERENCES variations (id),
    PRIMARY KEY (image_id, variation_id)
) WITHOUT ROWID;
CREATE INDEX image_variations_by_variation ON image_variations (variation_id, image_id);

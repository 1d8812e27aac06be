-- Near-duplicates (docs/insights.md). Each image's perceptual hash, computed in the
-- background from its pixels: a 16x16 gradient hash, 32 bytes. The file's mtime is kept with
-- it so that a rewritten original is hashed again; an image that cannot be decoded keeps its
-- reason instead of a hash, so the pass does not try it again and again.
CREATE TABLE image_hashes (
    image_id INTEGER PRIMARY KEY NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    file_mtime_ns BIGINT NOT NULL,
    hash BLOB,
    failure TEXT,
    CHECK ((hash IS NULL) <> (failure IS NULL)),
    CHECK (hash IS NULL OR length(hash) = 32)
);

-- Pairs a person said are not duplicates: they stay apart whatever the threshold, after every
-- rescan (image ids survive rescans). The smaller id comes first, so a pair has one row.
CREATE TABLE not_duplicates (
    image_a INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    image_b INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    marked_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    marked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (image_a, image_b),
    CHECK (image_a < image_b)
) WITHOUT ROWID;
CREATE INDEX not_duplicates_by_b ON not_duplicates (image_b, image_a);

-- What the owner chose on the admin page, by name (e.g. the near-duplicate threshold).
CREATE TABLE owner_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

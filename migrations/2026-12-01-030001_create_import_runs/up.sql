-- Every import the server, the watcher, `sdreview import` or `sdreview register` ran, for the
-- admin page: what it looked at, what it found, and the problems it listed. Old rows are
-- pruned by the program (the newest few hundred are kept).
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY NOT NULL,
    -- start, rescan, watch, reconcile, register, cli
    kind TEXT NOT NULL,
    -- The one session folder a watch or register run looked at; NULL for the whole library.
    folder TEXT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    elapsed_ms BIGINT NOT NULL,
    sessions_found INTEGER NOT NULL DEFAULT 0,
    sessions_new INTEGER NOT NULL DEFAULT 0,
    sessions_updated INTEGER NOT NULL DEFAULT 0,
    images_found INTEGER NOT NULL DEFAULT 0,
    images_new INTEGER NOT NULL DEFAULT 0,
    images_updated INTEGER NOT NULL DEFAULT 0,
    broken_files INTEGER NOT NULL DEFAULT 0,
    manifest_errors INTEGER NOT NULL DEFAULT 0,
    -- JSON array of {path, reason}.
    problems TEXT NOT NULL DEFAULT '[]',
    -- Why the run failed, when it did.
    error TEXT
);

-- A number that grows with every change to the sessions or their tags, whoever writes (the
-- server, an import in another process): the sessions page keeps its totals ("26,696
-- sessions") in memory under it, and counts again only when it has moved. `token` tells
-- databases apart, so one process serving several (the tests) never mixes their totals.
CREATE TABLE sessions_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    token BIGINT NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO sessions_version (id, token, version) VALUES (1, random(), 1);

CREATE TRIGGER sessions_version_on_insert AFTER INSERT ON sessions BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_version_on_update AFTER UPDATE ON sessions BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_version_on_delete AFTER DELETE ON sessions BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_version_on_tag_insert AFTER INSERT ON session_tags BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_version_on_tag_update AFTER UPDATE ON session_tags BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_version_on_tag_delete AFTER DELETE ON session_tags BEGIN
    UPDATE sessions_version SET version = version + 1 WHERE id = 1;
END;

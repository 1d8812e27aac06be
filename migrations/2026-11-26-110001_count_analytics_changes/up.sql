-- Statistics are cached in analytics_cache against this one number, which every change that
-- can move a figure bumps. Triggers bump it rather than the code's write paths, so that no
-- writer can forget: the pages, the API, bulk actions, an import, or another process such as
-- `sdreview import` run beside the server. A rating bumps it once (the counter updates it makes
-- on images touch none of the columns watched here).
CREATE TABLE analytics_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO analytics_version (id, version) VALUES (1, 1);

CREATE TRIGGER analytics_on_judgement_insert AFTER INSERT ON judgements BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_judgement_update AFTER UPDATE ON judgements BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_judgement_delete AFTER DELETE ON judgements BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_image_insert AFTER INSERT ON images BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_image_update AFTER UPDATE OF session_id, is_deleted, on_disk, broken ON images BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_image_delete AFTER DELETE ON images BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_image_variation_insert AFTER INSERT ON image_variations BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_image_variation_delete AFTER DELETE ON image_variations BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_session_insert AFTER INSERT ON sessions BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_session_update AFTER UPDATE OF folder_name, name, display_name, created_at, is_test, is_failed, is_archived, is_deleted, model_name, sampler, scheduler ON sessions BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_session_delete AFTER DELETE ON sessions BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_session_tag_insert AFTER INSERT ON session_tags BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_session_tag_delete AFTER DELETE ON session_tags BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_user_rename AFTER UPDATE OF name ON users BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_category_insert AFTER INSERT ON failure_categories BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_category_update AFTER UPDATE ON failure_categories BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_category_delete AFTER DELETE ON failure_categories BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;

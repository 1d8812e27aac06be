-- The trash rule for writes, kept by the database itself: what a person writes about an image
-- or a session (a verdict, notes, predictions, flags, a name, tags) is refused while that
-- image or session is in the trash (deleted, or an image of a deleted session). A trigger
-- runs inside the very statement's transaction, so no route, old or new, can forget the rule
-- or race a delete. The importer's own columns (file facts, on disk) stay writable, and
-- restoring (is_deleted) is the trash's own business. sdreview turns the message into a 404,
-- exactly as for an item that does not exist (`db::trash_guard`).

CREATE TRIGGER trash_guard_judgement_insert BEFORE INSERT ON judgements
WHEN EXISTS (
    SELECT 1 FROM images i JOIN sessions s ON s.id = i.session_id
    WHERE i.id = NEW.image_id AND (i.is_deleted OR s.is_deleted)
)
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: image');
END;

CREATE TRIGGER trash_guard_judgement_update BEFORE UPDATE ON judgements
WHEN EXISTS (
    SELECT 1 FROM images i JOIN sessions s ON s.id = i.session_id
    WHERE i.id = NEW.image_id AND (i.is_deleted OR s.is_deleted)
)
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: image');
END;

CREATE TRIGGER trash_guard_image_notes BEFORE UPDATE OF notes, ml_predictions ON images
WHEN (NEW.notes IS NOT OLD.notes OR NEW.ml_predictions IS NOT OLD.ml_predictions)
    AND (OLD.is_deleted OR (SELECT is_deleted FROM sessions WHERE id = OLD.session_id))
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: image');
END;

CREATE TRIGGER trash_guard_session_fields
BEFORE UPDATE OF display_name, notes, is_test, is_failed, is_archived, is_starred ON sessions
WHEN OLD.is_deleted AND NEW.is_deleted
    AND (NEW.display_name IS NOT OLD.display_name OR NEW.notes IS NOT OLD.notes
        OR NEW.is_test IS NOT OLD.is_test OR NEW.is_failed IS NOT OLD.is_failed
        OR NEW.is_archived IS NOT OLD.is_archived OR NEW.is_starred IS NOT OLD.is_starred)
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: session');
END;

CREATE TRIGGER trash_guard_session_tag_insert BEFORE INSERT ON session_tags
WHEN (SELECT is_deleted FROM sessions WHERE id = NEW.session_id)
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: session');
END;

CREATE TRIGGER trash_guard_session_tag_delete BEFORE DELETE ON session_tags
WHEN (SELECT is_deleted FROM sessions WHERE id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'sdreview-trash: session');
END;

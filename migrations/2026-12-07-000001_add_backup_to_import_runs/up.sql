-- Whether a run was backed up first: the copy it wrote, or why it went without one (no room
-- beside the database), so the admin page can say when the last import ran unprotected.
ALTER TABLE import_runs ADD COLUMN backup TEXT;
ALTER TABLE import_runs ADD COLUMN backup_skipped TEXT;

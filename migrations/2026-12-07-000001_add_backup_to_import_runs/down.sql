ALTER TABLE import_runs DROP COLUMN backup_skipped;
ALTER TABLE import_runs DROP COLUMN backup;

DROP INDEX images_deleted;
DROP INDEX sessions_starred;
DROP INDEX sessions_by_shown_name;

-- The address a browser signed in from, so that two sign-ins of the same browser on the same
-- kind of phone can be told apart on the admin page. NULL for sign-ins made before.
ALTER TABLE web_sessions ADD COLUMN address TEXT;

ALTER TABLE web_sessions DROP COLUMN link_id;
DROP TABLE sign_in_links;

DROP TABLE owner_settings;
DROP TABLE not_duplicates;
DROP TABLE image_hashes;

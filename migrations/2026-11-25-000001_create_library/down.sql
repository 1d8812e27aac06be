DROP TABLE image_variations;
DROP TABLE variations;
DROP TABLE images;
DROP TABLE session_tags;
DROP TABLE sessions;

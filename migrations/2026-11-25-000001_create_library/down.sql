DROP TABLE image_variations;
DROP TABLE variations;
DROP TABLE images;
DROP TABLE prompt_texts;
DROP TABLE session_tags;
DROP TABLE sessions;

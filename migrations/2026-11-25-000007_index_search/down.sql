DROP INDEX images_live_by_negative_prompt;
DROP INDEX images_live_by_prompt;

DROP INDEX images_for_stats;

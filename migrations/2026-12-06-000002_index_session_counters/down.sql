DROP INDEX session_stats_by_ko_rate;
DROP INDEX session_stats_by_like_rate;
DROP INDEX session_stats_by_images;

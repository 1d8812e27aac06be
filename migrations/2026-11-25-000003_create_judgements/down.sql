DROP TABLE analytics_cache;
DROP TABLE judgements;
DROP TABLE failure_categories;

DROP INDEX images_by_predicted_ko;
DROP TABLE predictor_runs;

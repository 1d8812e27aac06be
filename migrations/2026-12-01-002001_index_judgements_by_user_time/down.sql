DROP INDEX judgements_by_user_time;

-- A review pass reads my judgements since it started (its progress and summary): by user and
-- time, instead of every judgement a heavy rater ever made.
CREATE INDEX judgements_by_user_time ON judgements (user_id, updated_at);

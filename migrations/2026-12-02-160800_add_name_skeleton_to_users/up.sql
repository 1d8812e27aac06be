-- What each user's name looks like (its Unicode confusables skeleton, UTS #39), so that two
-- names a reader could take for one another (`adm` and `аdm` with a Cyrillic а) cannot both
-- exist. SQL cannot compute it: the program fills it in for every user added, and for the
-- users already there right after this migration (db::users::fill_name_skeletons).
ALTER TABLE users ADD COLUMN name_skeleton TEXT;
CREATE UNIQUE INDEX users_by_name_skeleton ON users (name_skeleton);

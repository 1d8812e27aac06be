-- Counters kept by triggers so that pages never aggregate a million judgements per request:
-- per image (the combined verdict of all raters), per session (badges, sorts by rate) and per
-- user and session ("has images I have not rated"). An image counts in its session while it
-- is on disk and not deleted; a judgement counts as a rating when it says anything at all.
ALTER TABLE images ADD COLUMN rater_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN perfect_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN imperfect_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN ok_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN ko_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX images_by_session_seed ON images (session_id, seed);

CREATE TABLE session_stats (
    session_id INTEGER PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    image_count INTEGER NOT NULL DEFAULT 0,
    rated_count INTEGER NOT NULL DEFAULT 0,
    liked_count INTEGER NOT NULL DEFAULT 0,
    perfect_count INTEGER NOT NULL DEFAULT 0,
    ko_count INTEGER NOT NULL DEFAULT 0
);
INSERT INTO session_stats (session_id, image_count)
SELECT s.id, (SELECT count(*) FROM images i WHERE i.session_id = s.id AND i.is_deleted = 0 AND i.on_disk = 1)
FROM sessions s;

CREATE TABLE user_session_stats (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    rated_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, session_id)
) WITHOUT ROWID;

CREATE TRIGGER session_stats_on_session_insert AFTER INSERT ON sessions BEGIN
    INSERT OR IGNORE INTO session_stats (session_id) VALUES (new.id);
END;

CREATE TRIGGER session_stats_on_image_insert AFTER INSERT ON images
WHEN new.is_deleted = 0 AND new.on_disk = 1 BEGIN
    UPDATE session_stats SET image_count = image_count + 1 WHERE session_id = new.session_id;
END;

CREATE TRIGGER session_stats_on_image_update
AFTER UPDATE OF is_deleted, on_disk, rater_count, like_count, perfect_count, ko_count ON images BEGIN
    UPDATE session_stats SET
        image_count = image_count
            + (new.is_deleted = 0 AND new.on_disk = 1) - (old.is_deleted = 0 AND old.on_disk = 1),
        rated_count = rated_count
            + (new.is_deleted = 0 AND new.on_disk = 1 AND new.rater_count > 0)
            - (old.is_deleted = 0 AND old.on_disk = 1 AND old.rater_count > 0),
        liked_count = liked_count
            + (new.is_deleted = 0 AND new.on_disk = 1 AND new.like_count > 0)
            - (old.is_deleted = 0 AND old.on_disk = 1 AND old.like_count > 0),
        perfect_count = perfect_count
            + (new.is_deleted = 0 AND new.on_disk = 1 AND new.perfect_count > 0)
            - (old.is_deleted = 0 AND old.on_disk = 1 AND old.perfect_count > 0),
        ko_count = ko_count
            + (new.is_deleted = 0 AND new.on_disk = 1 AND new.ko_count > 0)
            - (old.is_deleted = 0 AND old.on_disk = 1 AND old.ko_count > 0)
    WHERE session_id = new.session_id;
END;

-- When an image leaves or rejoins its session, so do its raters' ratings of it.
CREATE TRIGGER user_session_stats_on_image_active AFTER UPDATE OF is_deleted, on_disk ON images
WHEN (new.is_deleted = 0 AND new.on_disk = 1) != (old.is_deleted = 0 AND old.on_disk = 1) BEGIN
    UPDATE user_session_stats
    SET rated_count = rated_count + CASE WHEN new.is_deleted = 0 AND new.on_disk = 1 THEN 1 ELSE -1 END
    WHERE session_id = new.session_id
      AND user_id IN (SELECT user_id FROM judgements WHERE image_id = new.id
                      AND (quality IS NOT NULL OR status IS NOT NULL OR liked = 1));
END;

CREATE TRIGGER review_counters_on_judgement_insert AFTER INSERT ON judgements BEGIN
    UPDATE images SET
        rater_count = rater_count + (new.quality IS NOT NULL OR new.status IS NOT NULL OR new.liked = 1),
        like_count = like_count + (new.liked = 1),
        perfect_count = perfect_count + (new.quality IS 'perfect'),
        imperfect_count = imperfect_count + (new.quality IS 'imperfect'),
        ok_count = ok_count + (new.status IS 'ok'),
        ko_count = ko_count + (new.status IS 'ko')
    WHERE id = new.image_id;
    INSERT OR IGNORE INTO user_session_stats (user_id, session_id)
    SELECT new.user_id, session_id FROM images WHERE id = new.image_id;
    UPDATE user_session_stats
    SET rated_count = rated_count + (new.quality IS NOT NULL OR new.status IS NOT NULL OR new.liked = 1)
    WHERE user_id = new.user_id
      AND session_id = (SELECT session_id FROM images WHERE id = new.image_id AND is_deleted = 0 AND on_disk = 1);
END;

CREATE TRIGGER review_counters_on_judgement_update AFTER UPDATE ON judgements BEGIN
    UPDATE images SET
        rater_count = rater_count
            + (new.quality IS NOT NULL OR new.status IS NOT NULL OR new.liked = 1)
            - (old.quality IS NOT NULL OR old.status IS NOT NULL OR old.liked = 1),
        like_count = like_count + (new.liked = 1) - (old.liked = 1),
        perfect_count = perfect_count + (new.quality IS 'perfect') - (old.quality IS 'perfect'),
        imperfect_count = imperfect_count + (new.quality IS 'imperfect') - (old.quality IS 'imperfect'),
        ok_count = ok_count + (new.status IS 'ok') - (old.status IS 'ok'),
        ko_count = ko_count + (new.status IS 'ko') - (old.status IS 'ko')
    WHERE id = new.image_id;
    UPDATE user_session_stats
    SET rated_count = rated_count
        + (new.quality IS NOT NULL OR new.status IS NOT NULL OR new.liked = 1)
        - (old.quality IS NOT NULL OR old.status IS NOT NULL OR old.liked = 1)
    WHERE user_id = new.user_id
      AND session_id = (SELECT session_id FROM images WHERE id = new.image_id AND is_deleted = 0 AND on_disk = 1);
END;

CREATE TRIGGER review_counters_on_judgement_delete AFTER DELETE ON judgements BEGIN
    UPDATE images SET
        rater_count = rater_count - (old.quality IS NOT NULL OR old.status IS NOT NULL OR old.liked = 1),
        like_count = like_count - (old.liked = 1),
        perfect_count = perfect_count - (old.quality IS 'perfect'),
        imperfect_count = imperfect_count - (old.quality IS 'imperfect'),
        ok_count = ok_count - (old.status IS 'ok'),
        ko_count = ko_count - (old.status IS 'ko')
    WHERE id = old.image_id;
    UPDATE user_session_stats
    SET rated_count = rated_count - (old.quality IS NOT NULL OR old.status IS NOT NULL OR old.liked = 1)
    WHERE user_id = old.user_id
      AND session_id = (SELECT session_id FROM images WHERE id = old.image_id AND is_deleted = 0 AND on_disk = 1);
END;

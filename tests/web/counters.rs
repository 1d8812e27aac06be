//! The counters that triggers keep must always agree with the judgements they summarise.

use sdreview::db::caller::Caller;
use sdreview::db::ids::{ImageId, UserId};
use sdreview::db::judgements::{self, Mode};
use sdreview::domain::combined_verdict::Combined;
use sdreview::domain::rating::RatingAction;
use sdreview::domain::role::Role;

use crate::support::app::TestApp;

fn user_id(app: &TestApp, name: &str) -> UserId {
    UserId(app.lib.count(&format!(
        "SELECT id AS value FROM users WHERE name = '{name}'"
    )) as i32)
}

/// What the counters say, and what recounting the judgements says, for one session.
fn counters_agree(app: &TestApp, session: i64) {
    let stored = app.lib.text(&format!(
        "SELECT image_count || ',' || rated_count || ',' || liked_count || ',' || perfect_count || ',' || ko_count AS value
         FROM session_stats WHERE session_id = {session}"
    ));
    let recounted = app.lib.text(&format!(
        "SELECT count(*) || ',' ||
                coalesce(sum(EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND (j.quality IS NOT NULL OR j.status IS NOT NULL OR j.liked))), 0) || ',' ||
                coalesce(sum(EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.liked)), 0) || ',' ||
                coalesce(sum(EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.quality = 'perfect')), 0) || ',' ||
                coalesce(sum(EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.status = 'ko')), 0) AS value
         FROM images i WHERE i.session_id = {session} AND i.is_deleted = 0 AND i.on_disk = 1"
    ));
    assert_eq!(stored, recounted, "session {session} counters");
}

#[tokio::test]
async fn counters_follow_ratings_by_several_users_and_soft_deletes() {
    let app = TestApp::spawn().await;
    app.add_user("ann", "reviewer");
    app.add_user("ben", "reviewer");
    let (ann, ben) = (user_id(&app, "ann"), user_id(&app, "ben"));
    let session = app.lib.count("SELECT session_id AS value FROM images GROUP BY session_id HAVING count(*) >= 5 ORDER BY session_id LIMIT 1");
    let ids: Vec<ImageId> = (0..4)
        .map(|n| {
            ImageId(app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE session_id = {session} ORDER BY id LIMIT 1 OFFSET {n}"
            )) as i32)
        })
        .collect();
    let pool = app.lib.pool();
    let mut conn = pool.get().unwrap();
    let ko = RatingAction::Ko {
        category: "noise".into(),
        notes: None,
    };
    judgements::rate(
        &mut conn,
        Caller::new(ann, Role::Reviewer),
        &ids[..2],
        &RatingAction::Perfect,
        Mode::Toggle,
    )
    .unwrap();
    judgements::rate(
        &mut conn,
        Caller::new(ben, Role::Reviewer),
        &ids[1..3],
        &ko,
        Mode::Toggle,
    )
    .unwrap();
    judgements::rate(
        &mut conn,
        Caller::new(ben, Role::Reviewer),
        &ids[..3],
        &RatingAction::Like,
        Mode::Toggle,
    )
    .unwrap();
    counters_agree(&app, session);

    let counters = |column: &str| {
        app.lib.count(&format!(
            "SELECT {column} AS value FROM images WHERE id = {}",
            ids[1].0
        )) as i32
    };
    let combined = Combined {
        raters: counters("rater_count"),
        likes: counters("like_count"),
        perfects: counters("perfect_count"),
        imperfects: counters("imperfect_count"),
        oks: counters("ok_count"),
        kos: counters("ko_count"),
    };
    assert_eq!(
        (combined.raters, combined.oks, combined.kos, combined.likes),
        (2, 1, 1, 1)
    );
    assert_eq!(combined.status(), Some("split"));

    // Taking ratings back and soft-deleting images keeps every counter right.
    judgements::rate(
        &mut conn,
        Caller::new(ben, Role::Reviewer),
        &ids[..1],
        &RatingAction::Like,
        Mode::Toggle,
    )
    .unwrap();
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {}",
        ids[1].0
    ));
    counters_agree(&app, session);
    let ben_rated = app.lib.count(&format!(
        "SELECT rated_count AS value FROM user_session_stats WHERE user_id = {} AND session_id = {session}",
        ben.0
    ));
    assert_eq!(
        ben_rated, 1,
        "ben's rating of the deleted image no longer counts"
    );
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 0 WHERE id = {}",
        ids[1].0
    ));
    counters_agree(&app, session);
    let ann_rated = app.lib.count(&format!(
        "SELECT rated_count AS value FROM user_session_stats WHERE user_id = {} AND session_id = {session}",
        ann.0
    ));
    assert_eq!(ann_rated, 2);
}

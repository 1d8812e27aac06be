//! A library where every image of one model carries one value of Light and one of Pose,
//! judged by ann so that one pair is suggestive but, once 23 pairs are corrected for, not
//! significant: for the statistics' tables of pairs, over HTTP and in a browser.

use sdreview::db::ids::ImageId;

use super::app::TestApp;

pub const MODEL: &str = "planted_model";

/// 241 images, every one of model `MODEL`, each carrying one value of Light (dusk, noon, dawn,
/// night) and one of Pose (sitting, standing, lying, kneeling, running, jumping), judged by
/// ann (a reviewer this adds). Light=dusk + Pose=sitting: 13 images, 10 KO. Light=dusk with
/// each of standing, lying, kneeling and running: 12 images, 5 KO (48 images, 20 KO); dusk is
/// never jumping. Every other combination: 10 images, 3 KO. 23 pairs reach 10 images. Worked
/// out apart from the app (Fisher's exact test, two-sided, R's rule; Benjamini-Hochberg):
/// - dusk + sitting against dusk without sitting (10 of 13 against 20 of 48): p = 0.031148;
///   against sitting without dusk (10 of 13 against 9 of 30): p = 0.0072; the pair's p is the
///   larger, 0.031148;
/// - every other pair's p is above 0.74, so its q is 0.031148 · 23 / 1 = 0.71641: not
///   significant at 5 %.
///
/// The images are the first 241 readable ones in id order, returned in that order.
pub fn plant(app: &TestApp) -> Vec<ImageId> {
    app.add_user("ann", "reviewer");
    app.lib.execute(&format!(
        "DELETE FROM image_variations;
         UPDATE sessions SET model_name = '{MODEL}';
         INSERT INTO variations (placeholder, value) VALUES
           ('Light', 'dusk'), ('Light', 'noon'), ('Light', 'dawn'), ('Light', 'night'),
           ('Pose', 'sitting'), ('Pose', 'standing'), ('Pose', 'lying'), ('Pose', 'kneeling'),
           ('Pose', 'running'), ('Pose', 'jumping');"
    ));
    let variation = |placeholder: &str, value: &str| {
        app.lib.count(&format!(
            "SELECT id AS value FROM variations WHERE placeholder = '{placeholder}' AND value = '{value}'"
        ))
    };
    let mut ids: Vec<i32> = app
        .lib
        .text(
            "SELECT group_concat(id) AS value FROM (
               SELECT i.id FROM images i JOIN sessions s ON s.id = i.session_id
               WHERE i.broken IS NULL AND i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted
               ORDER BY i.id LIMIT 241)",
        )
        .unwrap()
        .split(',')
        .map(|id| id.parse().unwrap())
        .collect();
    ids.sort_unstable();
    let ids: Vec<ImageId> = ids.into_iter().map(ImageId).collect();
    let lights = ["dusk", "noon", "dawn", "night"];
    let poses = [
        "sitting", "standing", "lying", "kneeling", "running", "jumping",
    ];
    let light_ids = lights.map(|light| variation("Light", light));
    let pose_ids = poses.map(|pose| variation("Pose", pose));
    // One batch: a statement per image would each take the write lock the server's own
    // background work also wants.
    let mut sql = String::from("BEGIN;");
    let mut next = 0;
    for (l, light_id) in light_ids.iter().enumerate() {
        for (p, pose_id) in pose_ids.iter().enumerate() {
            let (n, k) = match (l, p) {
                (0, 0) => (13, 10),
                (0, 5) => (0, 0),
                (0, _) => (12, 5),
                _ => (10, 3),
            };
            for (at, image) in ids[next..next + n].iter().enumerate() {
                let (status, category) = if at < k {
                    ("'ko'", "'malformed'")
                } else {
                    ("'ok'", "NULL")
                };
                sql.push_str(&format!(
                    "INSERT INTO image_variations (image_id, variation_id) VALUES ({0}, {1}), ({0}, {2});
                     INSERT INTO judgements (image_id, user_id, status, failure_category, liked, created_at, updated_at)
                       VALUES ({0}, (SELECT id FROM users WHERE name = 'ann'), {status}, {category}, 0,
                               '2026-11-02 10:00:00', '2026-11-02 10:00:00');",
                    image.0,
                    light_id,
                    pose_id
                ));
            }
            next += n;
        }
    }
    sql.push_str("COMMIT;");
    app.lib.execute(&sql);
    assert_eq!(next, 241);
    ids
}

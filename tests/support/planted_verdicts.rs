//! Verdicts with a planted failure, for the predictor's tests: images with one placeholder
//! value are KO 8 times in 10, the others 2 in 10, judged by one reviewer one minute apart in
//! an order that mixes the sessions (a permutation of the ids): the predictor holds out the
//! newest fifth, and the importer numbers sessions in the order its parallel readers finish
//! them, so judged in id order the newest fifth could hold few images of the planted value.

use super::TestLibrary;

/// The most common placeholder value of the library: the one planted.
pub fn common_value(lib: &TestLibrary) -> String {
    lib.text(
        "SELECT v.value AS value FROM variations v JOIN image_variations iv ON iv.variation_id = v.id
         GROUP BY v.id ORDER BY count(*) DESC, v.id LIMIT 1",
    )
    .unwrap()
}

/// Judgements by the user `rater` (who must exist) with `value` failing 8 times in 10.
pub fn plant(lib: &TestLibrary, rater: &str, value: &str) {
    plant_failing(lib, rater, value, 8);
}

/// Judgements by `rater` with `value` failing `in_ten` times in 10 and the others 2 in 10.
///
/// Which images fail follows their ids, and the importer numbers sessions in the order its
/// parallel readers finish them: a test that needs the predictor to call some images KO must
/// plant a failure that clears its 90 % precision target whatever the numbering (10 in 10).
pub fn plant_failing(lib: &TestLibrary, rater: &str, value: &str, in_ten: u32) {
    lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, liked, status, failure_category, created_at, updated_at)
         SELECT i.id, (SELECT id FROM users WHERE name = '{rater}'), 0, v.status,
                CASE WHEN v.status = 'ko' THEN 'malformed' END, v.at, v.at
         FROM images i,
              (SELECT CASE WHEN EXISTS (SELECT 1 FROM image_variations iv JOIN variations va ON va.id = iv.variation_id
                                        WHERE iv.image_id = i2.id AND va.value = '{value}')
                           THEN CASE WHEN (i2.id * 7919) % 10 < {in_ten} THEN 'ko' ELSE 'ok' END
                           ELSE CASE WHEN (i2.id * 7919) % 10 < 2 THEN 'ko' ELSE 'ok' END END AS status,
                      datetime('2026-11-01', '+' || ((i2.id * 7919) % 1000003) || ' minutes') AS at, i2.id AS id
               FROM images i2) v
         WHERE v.id = i.id AND i.broken IS NULL AND i.on_disk AND NOT i.is_deleted
           AND i.session_id IN (SELECT id FROM sessions WHERE NOT is_deleted)"
    ));
}

//! The KO predictor's output in `images.ml_predictions`, under its own key beside whatever
//! the owner's classifiers wrote there (which is never touched).

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::predict::{KEY, Prediction};

/// The predicted KO probability of `images` as SQL, spelled exactly as the index
/// `images_by_predicted_ko` is (so sorts and filters on it read the index).
pub const PREDICTED_KO: &str =
    "iif(json_valid(ml_predictions), json_extract(ml_predictions, '$.sdreview_ko.ko'), NULL)";

/// How far the predicted KO probability is from 0.5, spelled exactly as the index
/// `images_by_prediction_doubt` is: the review order `uncertain` walks it.
pub const PREDICTION_DOUBT: &str = "abs(iif(json_valid(ml_predictions), \
     json_extract(ml_predictions, '$.sdreview_ko.ko'), NULL) - 0.5)";

/// Writes predictions (in the caller's write transaction), all in one statement. An image in
/// the trash is skipped (nothing is written about the trash), and so is one whose
/// `ml_predictions` is not a JSON object: what is there is the owner's and stays as it is.
pub fn write(conn: &mut SqliteConnection, predictions: &[(i32, Prediction)]) -> QueryResult<usize> {
    let by_id: serde_json::Map<String, serde_json::Value> = predictions
        .iter()
        .map(|(id, prediction)| {
            (
                id.to_string(),
                serde_json::to_value(prediction).unwrap_or_default(),
            )
        })
        .collect();
    diesel::sql_query(
        "UPDATE images SET ml_predictions = json_set(coalesce(ml_predictions, '{}'), ?1, json(p.value))
         FROM (SELECT CAST(key AS INTEGER) AS id, value FROM json_each(?2)) AS p
         WHERE images.id = p.id AND NOT images.is_deleted
           AND (images.ml_predictions IS NULL
                OR (json_valid(images.ml_predictions) AND json_type(images.ml_predictions) = 'object'))
           AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = images.session_id AND s.is_deleted)",
    )
    .bind::<Text, _>(format!("$.{KEY}"))
    .bind::<Text, _>(serde_json::Value::Object(by_id).to_string())
    .execute(conn)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Integer)]
    id: i32,
}

/// Images without a prediction yet (imported since the last scoring), up to `limit`: read
/// through the index, so asking costs nothing when there are none.
pub fn unscored(conn: &mut SqliteConnection, limit: i64) -> QueryResult<Vec<i32>> {
    let rows: Vec<Id> = diesel::sql_query(format!(
        "SELECT i.id FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE {} IS NULL AND i.on_disk AND i.broken IS NULL AND NOT i.is_deleted
           AND NOT s.is_deleted
           AND (i.ml_predictions IS NULL
                OR (json_valid(i.ml_predictions) AND json_type(i.ml_predictions) = 'object'))
         ORDER BY i.id LIMIT {limit}",
        PREDICTED_KO.replace("ml_predictions", "i.ml_predictions")
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doubt_is_the_distance_of_the_probability_from_a_half() {
        assert_eq!(PREDICTION_DOUBT, format!("abs({PREDICTED_KO} - 0.5)"));
    }
}

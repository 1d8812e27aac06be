//! The pictures of the sessions on a page of the list: a cover (the first liked image, else the
//! first image) and the first few images after it, for the strip shown on wide screens. Only
//! images that can be shown: on disk, not deleted, not broken.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};

use super::ids::{ImageId, SessionId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picture {
    pub id: ImageId,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionPictures {
    pub cover: Option<Picture>,
    /// In file order, the cover left out.
    pub strip: Vec<Picture>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    session_id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    width: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    height: Option<i32>,
    #[diesel(sql_type = Bool)]
    is_cover: bool,
}

/// Numbers each session's images twice, read through the (session_id, filename) index: in file
/// order, and liked ones first. The ids come as one JSON array, whatever their number.
const PICTURES: &str = "\
    WITH shown AS ( \
      SELECT id, session_id, width, height, \
             row_number() OVER (PARTITION BY session_id ORDER BY filename, id) AS position, \
             row_number() OVER (PARTITION BY session_id ORDER BY like_count > 0 DESC, filename, id) AS pick \
      FROM images \
      WHERE session_id IN (SELECT value FROM json_each(?1)) \
        AND on_disk = 1 AND is_deleted = 0 AND broken IS NULL) \
    SELECT id, session_id, width, height, pick = 1 AS is_cover FROM shown \
    WHERE pick = 1 OR position <= ?2 \
    ORDER BY session_id, position";

/// Each session's cover and up to `strip` more images, by session id.
pub fn of_sessions(
    conn: &mut SqliteConnection,
    sessions: &[SessionId],
    strip: usize,
) -> QueryResult<HashMap<SessionId, SessionPictures>> {
    let ids = serde_json::to_string(&sessions).unwrap_or_else(|_| "[]".to_owned());
    let rows: Vec<Row> = diesel::sql_query(PICTURES)
        .bind::<Text, _>(ids)
        .bind::<BigInt, _>(i64::try_from(strip).unwrap_or(i64::MAX).saturating_add(1))
        .load(conn)?;
    let mut pictures: HashMap<SessionId, SessionPictures> = HashMap::new();
    for row in rows {
        let picture = Picture {
            id: ImageId(row.id),
            width: row.width,
            height: row.height,
        };
        let entry = pictures.entry(SessionId(row.session_id)).or_default();
        if row.is_cover {
            entry.cover = Some(picture);
        } else if entry.strip.len() < strip {
            entry.strip.push(picture);
        }
    }
    Ok(pictures)
}

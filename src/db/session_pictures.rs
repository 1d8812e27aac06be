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
    #[diesel(sql_type = Text)]
    filename: String,
    #[diesel(sql_type = Bool)]
    is_cover: bool,
}

/// Per session, through the (session_id, filename) index: the first `?2` images in file order,
/// and the cover (the first liked image, else the first). A few index steps per session, where
/// numbering all of each session's images cost 8 ms a page of 50 on the benchmark library.
const PICTURES: &str = "\
    SELECT i.id, i.session_id, i.width, i.height, i.filename, 0 AS is_cover \
    FROM json_each(?1) AS s JOIN images i ON i.id IN ( \
      SELECT x.id FROM images x \
      WHERE x.session_id = s.value AND x.on_disk = 1 AND x.is_deleted = 0 AND x.broken IS NULL \
      ORDER BY x.filename, x.id LIMIT ?2) \
    UNION ALL \
    SELECT i.id, i.session_id, i.width, i.height, i.filename, 1 AS is_cover \
    FROM json_each(?1) AS s JOIN images i ON i.id = coalesce(( \
      SELECT x.id FROM images x \
      WHERE x.session_id = s.value AND x.like_count > 0 \
        AND x.on_disk = 1 AND x.is_deleted = 0 AND x.broken IS NULL \
      ORDER BY x.filename, x.id LIMIT 1), ( \
      SELECT x.id FROM images x \
      WHERE x.session_id = s.value AND x.on_disk = 1 AND x.is_deleted = 0 AND x.broken IS NULL \
      ORDER BY x.filename, x.id LIMIT 1))";

/// Each session's cover and up to `strip` more images, by session id.
pub fn of_sessions(
    conn: &mut SqliteConnection,
    sessions: &[SessionId],
    strip: usize,
) -> QueryResult<HashMap<SessionId, SessionPictures>> {
    let ids = serde_json::to_string(&sessions).unwrap_or_else(|_| "[]".to_owned());
    let mut rows: Vec<Row> = diesel::sql_query(PICTURES)
        .bind::<Text, _>(ids)
        // One more than the strip, in case the cover is among them.
        .bind::<BigInt, _>(i64::try_from(strip).unwrap_or(i64::MAX).saturating_add(1))
        .load(conn)?;
    rows.sort_by(|a, b| (a.session_id, &a.filename, a.id).cmp(&(b.session_id, &b.filename, b.id)));
    let picture = |row: &Row| Picture {
        id: ImageId(row.id),
        width: row.width,
        height: row.height,
    };
    let mut pictures: HashMap<SessionId, SessionPictures> = HashMap::new();
    for row in rows.iter().filter(|row| row.is_cover) {
        pictures.entry(SessionId(row.session_id)).or_default().cover = Some(picture(row));
    }
    for row in rows.iter().filter(|row| !row.is_cover) {
        let entry = pictures.entry(SessionId(row.session_id)).or_default();
        if entry.cover.map(|c| c.id) != Some(ImageId(row.id)) && entry.strip.len() < strip {
            entry.strip.push(picture(row));
        }
    }
    Ok(pictures)
}

//! Queries on `images` and their variation links.

use diesel::prelude::*;

use super::ids::{ImageId, SessionId, VariationId};
use super::models::{Image, ImageScan, KnownImage};
use super::row_limit::RowLimit;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::sessions::dsl as s;
use crate::domain::trash_rule::Place;

/// Every image, or those of the session in `folder` only.
pub fn load_known(
    conn: &mut SqliteConnection,
    folder: Option<&str>,
) -> QueryResult<Vec<KnownImage>> {
    let mut query = i::images.select(KnownImage::as_select()).into_boxed();
    if let Some(folder) = folder {
        let session = s::sessions.filter(s::folder_name.eq(folder)).select(s::id);
        query = query.filter(i::session_id.eq_any(session));
    }
    query.load(conn)
}

// Plain INSERT and UPDATE rather than one upsert: diesel caches their prepared statements,
// and re-preparing an upsert for every file cost a third of a first import.

pub fn insert_scan(conn: &mut SqliteConnection, scan: &ImageScan) -> QueryResult<ImageId> {
    diesel::insert_into(i::images)
        .values(scan)
        .returning(i::id)
        .get_result(conn)
}

/// Refreshes the importer's columns of a known file; the users' columns are untouched.
pub fn update_scan(conn: &mut SqliteConnection, id: ImageId, scan: &ImageScan) -> QueryResult<()> {
    diesel::update(i::images.find(id)).set(scan).execute(conn)?;
    Ok(())
}

pub fn replace_variations(
    conn: &mut SqliteConnection,
    image: ImageId,
    variations: &[VariationId],
    had_rows: bool,
) -> QueryResult<()> {
    if had_rows {
        diesel::delete(iv::image_variations.filter(iv::image_id.eq(image))).execute(conn)?;
    }
    for &variation in variations {
        diesel::insert_into(iv::image_variations)
            .values((iv::image_id.eq(image), iv::variation_id.eq(variation)))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

pub fn mark_vanished(conn: &mut SqliteConnection, ids: &[ImageId]) -> QueryResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        changed += diesel::update(i::images.filter(i::id.eq_any(chunk)))
            .set(i::on_disk.eq(false))
            .execute(conn)?;
    }
    Ok(changed)
}

/// What it takes to find an image's file on disk and its thumbnail.
#[derive(Debug, Clone, Queryable)]
pub struct ImageFile {
    pub id: ImageId,
    pub folder_name: String,
    pub filename: String,
    pub file_mtime_ns: i64,
    pub broken: Option<String>,
    /// What the importer found inside the file (`png`, `jpeg`, `webp`...), whatever its name.
    pub format: String,
    /// Deleted, or of a deleted session (read here so a thumbnail costs one query).
    pub in_trash: bool,
}

impl ImageFile {
    pub fn place(&self) -> Place {
        if self.in_trash {
            Place::Trash
        } else {
            Place::Live
        }
    }
}

/// The columns an `ImageFile` is read from (images joined to their sessions).
#[allow(clippy::type_complexity)]
pub fn file_columns() -> (
    i::id,
    s::folder_name,
    i::filename,
    i::file_mtime_ns,
    i::broken,
    i::format,
    diesel::dsl::Or<i::is_deleted, s::is_deleted>,
) {
    (
        i::id,
        s::folder_name,
        i::filename,
        i::file_mtime_ns,
        i::broken,
        i::format,
        i::is_deleted.or(s::is_deleted),
    )
}

/// None when there is no such image (or it is gone from disk).
pub fn find_file(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<Option<ImageFile>> {
    i::images
        .inner_join(s::sessions)
        .filter(i::id.eq(id))
        .filter(i::on_disk.eq(true))
        .select(file_columns())
        .first_row(conn)
        .optional()
}

/// An image with the names of its session, for the image page.
pub fn find_with_session(
    conn: &mut SqliteConnection,
    id: ImageId,
) -> QueryResult<Option<(Image, SessionName)>> {
    i::images
        .inner_join(s::sessions)
        .filter(i::id.eq(id))
        .select((
            Image::as_select(),
            (s::id, s::folder_name, s::name, s::display_name),
        ))
        .first_row(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable)]
pub struct SessionName {
    pub id: SessionId,
    pub folder_name: String,
    pub name: String,
    pub display_name: Option<String>,
}

impl SessionName {
    /// What people see: the name they gave it, else the one from its folder.
    pub fn shown(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.name)
    }
}

/// Sets (or with None clears) an image's notes; false when there is no such image or it is in
/// the trash (the trash rule; the triggers of `trash_guard` refuse it too).
pub fn set_notes(
    conn: &mut SqliteConnection,
    id: ImageId,
    notes: Option<&str>,
    now: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    if super::trash_state::image_place(conn, id)? != Some(crate::domain::trash_rule::Place::Live) {
        return Ok(false);
    }
    let changed = diesel::update(i::images.find(id))
        .set((i::notes.eq(notes), i::updated_at.eq(now)))
        .execute(conn)?;
    Ok(changed > 0)
}

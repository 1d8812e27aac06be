//! Queries on `images` and their variation links.

use diesel::prelude::*;

use super::ids::{ImageId, VariationId};
use super::models::{ImageScan, KnownImage};
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;

pub fn load_known(conn: &mut SqliteConnection) -> QueryResult<Vec<KnownImage>> {
    i::images.select(KnownImage::as_select()).load(conn)
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

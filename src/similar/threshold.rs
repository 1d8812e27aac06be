//! How close two hashes must be to count as near-duplicates: the owner picks one of czkawka's
//! presets for a 16x16 hash on the admin page; the API also takes any distance.

use diesel::SqliteConnection;

use crate::db::owner_settings;
use crate::error::AppResult;

const SETTING: &str = "near_duplicate_distance";

/// The presets, most similar first: the most bits two near-duplicates may differ in.
pub const PRESETS: [(&str, u32); 3] = [("very high", 2), ("high", 5), ("medium", 15)];
/// "high": re-encoded copies and small resizes, few false matches.
pub const DEFAULT_DISTANCE: u32 = 5;
/// The widest distance the API takes: past about 40 of 256 bits, unrelated pictures match.
pub const MAX_DISTANCE: u32 = 64;

/// The owner's threshold, or the default.
pub fn current(conn: &mut SqliteConnection) -> AppResult<u32> {
    let stored = owner_settings::get(conn, SETTING)?;
    Ok(stored
        .and_then(|value| value.parse::<u32>().ok())
        .filter(|distance| *distance <= MAX_DISTANCE)
        .unwrap_or(DEFAULT_DISTANCE))
}

/// Stores the owner's threshold (one of the presets' distances, or any up to the maximum).
pub fn choose(conn: &mut SqliteConnection, distance: u32) -> AppResult<()> {
    if distance > MAX_DISTANCE {
        return Err(crate::error::AppError::BadInput(format!(
            "a near-duplicate distance of {distance} is over the {MAX_DISTANCE} bits allowed: \
             choose 2 (very high), 5 (high) or 15 (medium similarity)"
        )));
    }
    crate::db::write_transaction(conn, |conn| {
        owner_settings::set(conn, SETTING, &distance.to_string())
    })?;
    Ok(())
}

/// The preset's name for a distance ("high"), or None for a distance of the owner's own.
pub fn preset_name(distance: u32) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(_, d)| *d == distance)
        .map(|(name, _)| *name)
}

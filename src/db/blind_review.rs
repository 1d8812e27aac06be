//! Blind review where verdicts are read: the household's setting (`owner_settings`), which of
//! some images a caller has judged, and the SQL condition the gallery's filters and order add
//! so that nothing another person decided about an image leaks before the caller has judged
//! it. The rule itself is `domain::blind_rule`.

use std::collections::HashSet;

use diesel::prelude::*;

use super::caller::Caller;
use super::ids::ImageId;
use super::owner_settings;
use super::schema::judgements::dsl as j;
use crate::domain::blind_rule::{BlindMode, Sight, shows_others};
use crate::error::AppResult;

const SETTING: &str = "blind_review";
/// SQLite limits the number of bound parameters.
const CHUNK: usize = 10_000;

/// The household's blind mode.
pub fn mode(conn: &mut SqliteConnection) -> QueryResult<BlindMode> {
    Ok(BlindMode::from_stored(
        owner_settings::get(conn, SETTING)?.as_deref(),
    ))
}

/// The owner's choice on the admin page.
pub fn choose(conn: &mut SqliteConnection, mode: BlindMode) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| {
        owner_settings::set(conn, SETTING, mode.as_str())
    })?;
    Ok(())
}

/// Whether the rule binds `caller` right now: blind mode on, and someone signed in.
pub fn binds(conn: &mut SqliteConnection, caller: Caller) -> QueryResult<bool> {
    Ok(!shows_others(mode(conn)?, caller.sight, false))
}

/// Of some images, those whose other verdicts `caller` may see.
#[derive(Debug, Clone)]
pub enum Revealed {
    All,
    /// Blind: the images the caller has judged.
    Judged(HashSet<ImageId>),
}

impl Revealed {
    pub fn shows(&self, image: ImageId) -> bool {
        match self {
            Revealed::All => true,
            Revealed::Judged(judged) => judged.contains(&image),
        }
    }
}

/// Which of `images` show others' verdicts to `caller`: those the caller has judged, with a
/// judgement that says something (a rating, a heart or OK / KO; a verdict taken back
/// entirely is no judgement).
pub fn revealed(
    conn: &mut SqliteConnection,
    caller: Caller,
    images: &[ImageId],
) -> QueryResult<Revealed> {
    if !binds(conn, caller)? {
        return Ok(Revealed::All);
    }
    let mut judged = HashSet::new();
    for chunk in images.chunks(CHUNK) {
        let mine = j::judgements
            .filter(j::user_id.eq(caller.user))
            .filter(
                j::quality
                    .is_not_null()
                    .or(j::status.is_not_null())
                    .or(j::liked.eq(true)),
            )
            .select(j::image_id)
            .into_boxed();
        // `=` for one image (a rating's panel): diesel keeps that statement prepared, where
        // an `IN` list is compiled anew on every request.
        let mine = match chunk {
            [one] => mine.filter(j::image_id.eq(*one)),
            _ => mine.filter(j::image_id.eq_any(chunk)),
        };
        judged.extend(mine.load::<ImageId>(conn)?);
    }
    Ok(Revealed::Judged(judged))
}

/// SQL true where `image_column` (e.g. `images.id`) names an image whose other verdicts
/// `caller` may see: blind mode off, or the caller has judged it. For filters and orders that
/// read others' verdicts, so a "KO by anyone" filter cannot point at what blind mode hides.
/// The setting is read inside the statement, so the condition is never older than the query.
pub fn others_shown_sql(caller: Caller, image_column: &str) -> String {
    if caller.sight == Sight::Everything {
        return "1".to_owned();
    }
    // The user id is a number: nothing of it can be read as SQL.
    format!(
        "(COALESCE((SELECT value FROM owner_settings WHERE name = '{SETTING}'), '{on}') = '{off}' \
         OR EXISTS (SELECT 1 FROM judgements mine WHERE mine.image_id = {image_column} \
         AND mine.user_id = {user} AND (mine.quality IS NOT NULL OR mine.status IS NOT NULL \
         OR mine.liked = 1)))",
        on = BlindMode::DEFAULT.as_str(),
        off = BlindMode::Off.as_str(),
        user = caller.user.0,
    )
}

//! The trash rule for writes lives in the database (migration `guard_trash_writes`): triggers
//! refuse a verdict, notes, predictions, flags, a name or tags on what is in the trash, inside
//! the statement's own transaction. This turns their refusal into a "not found", answered
//! exactly as for an item that does not exist, so the trash's content is not revealed.

use diesel::result::Error;

const IMAGE: &str = "sdreview-trash: image";
const SESSION: &str = "sdreview-trash: session";

/// "image" or "session" when `error` is a trigger's refusal of a write to the trash.
pub fn refused(error: &Error) -> Option<&'static str> {
    match error {
        Error::DatabaseError(_, info) => match info.message() {
            IMAGE => Some("image"),
            SESSION => Some("session"),
            _ => None,
        },
        _ => None,
    }
}

//! Faults of the disk under the database, as a person can act on them: SQLite says "database
//! or disk is full" or "disk I/O error"; a rater should read that nothing was saved and why,
//! not "something went wrong".

use diesel::result::Error;

/// What to tell a person when `error` is a fault of the disk; None for any other error.
pub fn explain(error: &Error) -> Option<&'static str> {
    let Error::DatabaseError(_, info) = error else {
        return None;
    };
    let message = info.message();
    if message.contains("database or disk is full") {
        Some("the server's disk is full, so nothing was saved: free some space on it and try again")
    } else if message.contains("disk I/O error") {
        Some(
            "the server could not write to its disk (an I/O error), so nothing was saved: check \
             the disk, then restart sdreview",
        )
    } else if message.contains("readonly database") {
        Some(
            "the server's database cannot be written (its disk or file is read-only), so nothing \
             was saved",
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind};

    use super::*;

    struct Said(&'static str);

    impl DatabaseErrorInformation for Said {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn sqlite(message: &'static str) -> Error {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(Said(message)))
    }

    #[test]
    fn a_full_disk_and_an_io_error_are_said_in_words_and_other_errors_are_not() {
        let full = explain(&sqlite("database or disk is full")).unwrap_or_default();
        assert!(full.contains("disk is full") && full.contains("nothing was saved"));
        let io = explain(&sqlite("disk I/O error")).unwrap_or_default();
        assert!(io.contains("I/O error"));
        assert_eq!(explain(&sqlite("no such table: x")), None);
        let as_app = crate::error::AppError::from(sqlite("database or disk is full"));
        assert!(matches!(as_app, crate::error::AppError::Unavailable(_)));
    }
}

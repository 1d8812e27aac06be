//! One error type for the whole crate. Every variant keeps its cause, so the full chain can be
//! logged while a person sees a message they can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A setting or argument that cannot work; the message says what to do.
    #[error("{0}")]
    Config(String),
    /// Input that was understood but refused; the message says what was wrong.
    #[error("{0}")]
    BadInput(String),
    /// A value outside a known set (a failure category...); `valid` lists the allowed ones.
    #[error("{message}")]
    Unknown {
        field: &'static str,
        message: String,
        valid: Vec<String>,
    },
    /// A decision made against a verdict that has changed since; nothing was written.
    #[error(
        "your verdict on this image was changed elsewhere after this decision was made, so it \
         was not applied: look at the image again and choose which verdict stands"
    )]
    Conflict(Box<crate::domain::rating::Conflict>),
    #[error("not found: {0}")]
    NotFound(String),
    /// Signed in, but the role does not allow this; the message says who may.
    #[error("{0}")]
    Forbidden(String),
    #[error("database error")]
    Database(#[source] diesel::result::Error),
    #[error("cannot open the database")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database connection pool error")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot apply database migrations: {0}")]
    Migration(String),
    #[error("{context}: {path}")]
    Io {
        context: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The server cannot do this now, for a reason a person can act on (the message says it).
    #[error("{0}")]
    Unavailable(String),
    /// The library folder cannot be listed (a share that dropped, a folder renamed away or
    /// refused): the import stopped before marking anything gone.
    #[error(
        "the library folder {} cannot be read, so nothing was marked gone (a share not \
         mounted, or the folder renamed or refused?); sdreview goes on once it can be read",
        root.display()
    )]
    LibraryOffline {
        root: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A backup that failed part way; what it had written is removed, and named here.
    #[error("the backup to {} failed{removed}", dest.display())]
    BackupFailed {
        dest: PathBuf,
        /// " (removed the partial copy: ...)", or empty when it had written nothing.
        removed: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Not enough room on a disk for what was asked; the message says how much is missing.
    #[error("{0}")]
    NoRoom(String),
    #[error("JSON error")]
    Json(#[from] serde_json::Error),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("background task failed: {0}")]
    Task(String),
    /// An export that would hold fewer (or more) rows than its filter selects: never finished.
    #[error(
        "the export wrote {written} of the {expected} rows its filter selects, so it was stopped \
         and not kept; this is a bug in sdreview: please report it"
    )]
    ExportIncomplete { written: u64, expected: u64 },
}

impl From<diesel::result::Error> for AppError {
    /// A write the trash rule refused (`db::trash_guard`) is a 404, as for what does not exist;
    /// a database replaced underneath or a fault of the disk is a 503 said in words.
    fn from(error: diesel::result::Error) -> Self {
        if let diesel::result::Error::QueryBuilderError(inner) = &error
            && let Some(replaced) = inner.downcast_ref::<crate::db::write_turn::DatabaseReplaced>()
        {
            return AppError::Unavailable(replaced.to_string());
        }
        if let Some(words) = crate::db::disk_fault::explain(&error) {
            tracing::error!("{words} ({error})");
            return AppError::Unavailable(words.to_owned());
        }
        match crate::db::trash_guard::refused(&error) {
            Some(what) => AppError::NotFound(format!("there is no such {what}")),
            None => AppError::Database(error),
        }
    }
}

impl AppError {
    pub fn io(context: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        AppError::Io {
            context,
            path: path.into(),
            source,
        }
    }
}

/// The message and its causes on one line, for logs and the command line.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut current = error.source();
    while let Some(cause) = current {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        current = cause.source();
    }
    text
}

pub type AppResult<T> = Result<T, AppError>;

//! What every handler can reach: the pool, the library root and the in-memory helpers.

use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Pool;
use crate::thumbs::ThumbnailCache;
use crate::web::identity_cache::IdentityCache;
use crate::web::sign_in_limit::SignInLimits;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Canonical path of the library folder: originals are served only from inside it.
    pub library_root: PathBuf,
    pub thumbnails: Arc<ThumbnailCache>,
    pub sign_in_limits: Arc<SignInLimits>,
    /// Bearer tokens already verified.
    pub tokens: Arc<IdentityCache>,
    /// Browser sign-ins already looked up, by the hash of their cookie.
    pub sign_ins: Arc<IdentityCache>,
    pub import: Arc<crate::web::state::ImportStatus>,
    /// Computed statistics, until something they count changes.
    pub stats: Arc<crate::analytics::cache::StatsCache>,
}

/// What the background import is doing, shown in the page header.
#[derive(Debug, Default)]
pub struct ImportStatus {
    pub running: std::sync::atomic::AtomicBool,
    pub last_error: std::sync::Mutex<Option<String>>,
}

impl ImportStatus {
    pub fn is_running(&self) -> bool {
        self.running.load(std::sync::atomic::Ordering::Relaxed)
    }
}

//! What every handler can reach: the pool, the library root and the in-memory helpers.

use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Pool;
pub use crate::import::reach::LibraryReach;
pub use crate::import::status::ImportStatus;
use crate::thumbs::ThumbnailCache;
use crate::web::bearer_limit::BearerLimits;
use crate::web::identity_cache::IdentityCache;
use crate::web::sign_in_limit::SignInLimits;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Canonical path of the library folder: originals are served only from inside it.
    pub library_root: PathBuf,
    pub thumbnails: Arc<ThumbnailCache>,
    pub sign_in_limits: Arc<SignInLimits>,
    pub bearer_limits: Arc<BearerLimits>,
    /// Believe `Forwarded` and `X-Forwarded-*` headers (`--behind-proxy`).
    pub behind_proxy: bool,
    /// Bearer tokens already verified.
    pub tokens: Arc<IdentityCache>,
    /// Browser sign-ins already looked up, by the hash of their cookie.
    pub sign_ins: Arc<IdentityCache>,
    /// When each browser sign-in was last used, by the monotonic clock.
    pub sign_in_uses: Arc<crate::auth::sign_in_expiry::SignInUses>,
    pub import: Arc<ImportStatus>,
    /// Whether the library folder can be read now (a share may drop), shared with the
    /// watcher and every import the server runs.
    pub library: Arc<LibraryReach>,
    /// The database file: imports lock and back it up by its path.
    pub db_path: PathBuf,
    /// Computed statistics, until something they count changes.
    pub stats: Arc<crate::analytics::cache::StatsCache>,
    /// The sessions list's covers and strips, until a rating or an import changes them.
    pub pictures: Arc<crate::web::picture_cache::PictureCache>,
    /// The statistics page's body, drawn once per report.
    pub stats_bodies: Arc<crate::web::stats_body::StatsBodies>,
    /// Exports running now, bounded per user and overall.
    pub exports: Arc<crate::web::export_slots::ExportSlots>,
    /// Perceptual hashes in memory, for near-duplicates, and the hashing pass's progress.
    pub similar: Arc<crate::similar::SimilarImages>,
    /// The KO predictor's background work.
    pub predictor: Arc<crate::predict::background::PredictorState>,
    /// What each admin's last form did, for the page it redirects to.
    pub admin_notes: Arc<crate::web::admin_notes::AdminNotes>,
}

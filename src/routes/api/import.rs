//! `POST /api/sessions/import` (admin): starts a rescan of the whole library and answers 202
//! with where to follow it; `GET /api/sessions/import`: how far it is and the last runs.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::error::ApiError;
use super::params::NoQuery;
use crate::db::import_runs;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::import::record::RunKind;
use crate::live::rescan::Rescan;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

const PROGRESS_PATH: &str = "/api/sessions/import";

#[utoipa::path(post, path = "/api/sessions/import", tag = "library", operation_id = "start_import",
    description = "Starts a rescan of the whole library (the same as the admin page's Rescan \
        now); a rescan already running is not started twice. Follow it at the Location.",
    responses(
        (status = 202, description = "started, or already running", content_type = "application/json"),
        (status = 403, body = ApiError),
        (status = 503, description = "the library folder cannot be read now", body = ApiError),
    ))]
pub async fn start(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, ApiError> {
    identity.require(Role::Admin)?;
    let started = match crate::live::rescan::spawn(&state, RunKind::Rescan) {
        Rescan::Started => true,
        Rescan::AlreadyRunning => false,
        Rescan::Offline(offline) => {
            return Err(AppError::Unavailable(format!(
                "the library folder {} cannot be read since {} ({}), so no rescan was started; \
                 nothing is marked gone, and sdreview goes on by itself once it is back",
                state.library_root.display(),
                offline.since_full(),
                offline.why
            ))
            .into());
        }
    };
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", PROGRESS_PATH))
        .json(json!({
            "status": if started { "started" } else { "already running" },
            "progress": PROGRESS_PATH,
            "page": "/admin",
        })))
}

#[utoipa::path(get, path = "/api/sessions/import", tag = "library", operation_id = "import_progress",
    description = "Whether an import runs, how many files it has read of how many, its last \
        error, and the last five runs.",
    responses(
        (status = 200, description = "progress and history", content_type = "application/json"),
        (status = 403, body = ApiError),
    ))]
pub async fn progress(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, ApiError> {
    identity.require(Role::Admin)?;
    let pool = state.pool.clone();
    let runs = blocking(move || Ok(import_runs::latest(&mut *pool.get()?, 5)?)).await?;
    let (read, total) = state.import.files();
    let last: Vec<_> = runs
        .iter()
        .map(|r| {
            json!({
                "kind": r.kind,
                "folder": r.folder,
                "started_at": crate::clock::rfc3339(r.started_at),
                "elapsed_ms": r.elapsed_ms,
                "sessions_found": r.sessions_found,
                "sessions_new": r.sessions_new,
                "images_found": r.images_found,
                "images_new": r.images_new,
                "images_updated": r.images_updated,
                "broken_files": r.broken_files,
                "error": r.error,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "running": state.import.is_running(),
        "files_read": read,
        "files_total": total,
        "last_error": state.import.last_error(),
        "last_runs": last,
    })))
}

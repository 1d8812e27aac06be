//! `POST /api/sessions/import` (admin): starts a rescan of the whole library and answers 202
//! with where to follow it; `GET /api/sessions/import`: how far it is and the last runs.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::import_runs;
use crate::import::record::RunKind;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub const PROGRESS_PATH: &str = "/api/sessions/import";

/// JSON errors of the API: what went wrong and, for bad input, which field.
fn refused(status: StatusCode, message: String) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": message, "field": null}))
}

/// The refusal for anyone but an admin.
fn unless_admin(identity: &Identity) -> Option<HttpResponse> {
    identity
        .require(crate::domain::role::Role::Admin)
        .err()
        .map(|e| refused(StatusCode::FORBIDDEN, e.to_string()))
}

pub async fn start(state: web::Data<AppState>, identity: Identity) -> HttpResponse {
    if let Some(refusal) = unless_admin(&identity) {
        return refusal;
    }
    let started = crate::live::rescan::spawn(&state, RunKind::Rescan);
    HttpResponse::Accepted()
        .insert_header(("Location", PROGRESS_PATH))
        .json(json!({
            "status": if started { "started" } else { "already running" },
            "progress": PROGRESS_PATH,
            "page": "/admin",
        }))
}

pub async fn progress(state: web::Data<AppState>, identity: Identity) -> HttpResponse {
    if let Some(refusal) = unless_admin(&identity) {
        return refusal;
    }
    let pool = state.pool.clone();
    let runs = blocking(move || Ok(import_runs::latest(&mut *pool.get()?, 5)?)).await;
    let runs = match runs {
        Ok(runs) => runs,
        Err(error) => {
            tracing::error!("import runs: {}", crate::error::error_chain(&error));
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the import history could not be read; it has been logged".to_owned(),
            );
        }
    };
    let (read, total) = state.import.files();
    let last: Vec<_> = runs
        .iter()
        .map(|r| {
            json!({
                "kind": r.kind,
                "folder": r.folder,
                "started_at": r.started_at,
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
    HttpResponse::Ok().json(json!({
        "running": state.import.is_running(),
        "files_read": read,
        "files_total": total,
        "last_error": state.import.last_error(),
        "last_runs": last,
    }))
}

//! The admin page's backups: make one now (the same `VACUUM INTO` copy as `sdreview backup`),
//! and download any backup the page lists. A download names a backup by its file name, which
//! must be one the list holds: nothing of the request ever becomes a path.

use actix_files::NamedFile;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};

use super::admin::{outcome, redirect_with};
use crate::db::backup::{self, BackupKind};
use crate::db::backup_files;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::file_names::folder_of;
use crate::views::admin::Flash;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub async fn make(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let pool = state.pool.clone();
    let db_path = state.db_path.clone();
    let written = blocking(move || {
        let written = backup::write(&mut *pool.get()?, &db_path, BackupKind::Manual)?;
        Ok::<_, AppError>(Flash {
            message: format!(
                "Backup written: {} (beside the database; download it from the list below).",
                written
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            token: None,
            link: None,
        })
    })
    .await;
    // A full disk is said on the page like a refusal: the admin can free space and retry.
    let note = match written {
        Err(AppError::NoRoom(why)) => outcome(Err(AppError::BadInput(why)))?,
        other => outcome(other)?,
    };
    Ok(redirect_with(&req, &state, &identity, note))
}

pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let name = name.into_inner();
    let db_path = state.db_path.clone();
    let listed = blocking(move || backup_files::list(&db_path)).await?;
    let Some(found) = listed.into_iter().find(|b| b.name == name) else {
        return Err(AppError::NotFound(format!(
            "no backup named `{name}` beside the database: the admin page lists those there are"
        )));
    };
    let path = folder_of(&state.db_path).join(&found.name);
    let file = NamedFile::open_async(&path)
        .await
        .map_err(|e| AppError::io("cannot open the backup", &path, e))?
        .set_content_type(mime_guess::mime::APPLICATION_OCTET_STREAM)
        .set_content_disposition(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(found.name)],
        });
    let mut response = file.into_response(&req);
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

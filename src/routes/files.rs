//! Image files: thumbnails and screen renditions (made on first request, cached beside the
//! database) and originals, all found by database id and only ever served from inside the
//! library root.

use actix_files::NamedFile;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::db::ids::ImageId;
use crate::db::images::{self, ImageFile};
use crate::domain::trash_rule::{Access, reach};
use crate::error::AppError;
use crate::library::resolve::file_inside;
use crate::thumbs::Rendition;
use crate::web::render::blocking;
use crate::web::{AppState, Identity, assets};

/// Thumbnails are named by the original's mtime and carry an ETag, so an hour is safe and a
/// rewritten original shows after at most that long (sooner on reload).
const THUMB_CACHE: &str = "private, max-age=3600";
const ORIGINAL_CACHE: &str = "private, max-age=3600";
/// A placeholder may turn into a thumbnail once the file is written completely.
const PLACEHOLDER_CACHE: &str = "private, max-age=60";
const PLACEHOLDER: &str = "icons/broken-image.svg";

/// The image's file, if the identity may look at it (an image in the trash: admins only).
async fn find(state: &AppState, identity: &Identity, id: ImageId) -> Result<ImageFile, AppError> {
    let pool = state.pool.clone();
    let role = identity.role;
    blocking(move || Ok(images::find_file(&mut *pool.get()?, id)?))
        .await?
        .filter(|file| reach(file.place(), role, Access::Look).is_some())
        .ok_or_else(|| AppError::NotFound(format!("there is no image {id}")))
}

/// The file's canonical path inside the library; anything else is a 404 whose reason is
/// logged (it means the database points somewhere it should not).
fn original_path(state: &AppState, file: &ImageFile) -> Result<std::path::PathBuf, AppError> {
    file_inside(&state.library_root, &file.folder_name, &file.filename).map_err(|reason| {
        tracing::warn!("image {} is not served: {reason}", file.id);
        AppError::NotFound(format!(
            "the file of image {} is not inside the library, so it is not served",
            file.id
        ))
    })
}

fn with_cache(mut response: HttpResponse, cache: &'static str) -> HttpResponse {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

fn mime_for(format: &str) -> Option<mime_guess::Mime> {
    match format {
        "png" => Some(mime_guess::mime::IMAGE_PNG),
        "jpeg" => Some(mime_guess::mime::IMAGE_JPEG),
        "webp" => "image/webp".parse().ok(),
        _ => None,
    }
}

fn placeholder() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((CACHE_CONTROL, PLACEHOLDER_CACHE))
        .body(assets::file(PLACEHOLDER).unwrap_or_default())
}

pub async fn thumbnail(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    rendition(req, state, identity, id, Rendition::Thumb).await
}

/// The image at screen size for review (1,600 px long side): a tenth of a PNG's bytes.
pub async fn screen(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    rendition(req, state, identity, id, Rendition::Screen).await
}

async fn rendition(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    rendition: Rendition,
) -> Result<HttpResponse, AppError> {
    let file = find(&state, &identity, ImageId(id.into_inner())).await?;
    if file.broken.is_some() {
        return Ok(placeholder());
    }
    let Ok(source) = original_path(&state, &file) else {
        return Ok(placeholder());
    };
    let cache = state.thumbnails.clone();
    let made =
        blocking(move || cache.get_or_make(file.id.0, file.file_mtime_ns, &source, rendition))
            .await;
    let path = match made {
        Ok(path) => path,
        Err(error) => {
            tracing::warn!(
                "no {rendition:?} rendition for image {}: {}",
                file.id,
                crate::error::error_chain(&error)
            );
            return Ok(placeholder());
        }
    };
    let named = NamedFile::open_async(&path)
        .await
        .map_err(|e| AppError::io("cannot open a thumbnail or rendition", &path, e))?;
    Ok(with_cache(named.into_response(&req), THUMB_CACHE))
}

pub async fn original(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let file = find(&state, &identity, ImageId(id.into_inner())).await?;
    let path = original_path(&state, &file)?;
    let mut named = NamedFile::open_async(&path)
        .await
        .map_err(|e| AppError::io("cannot open an original image", &path, e))?;
    // The content decides, not the name: a JPEG saved as `.png` is still a JPEG.
    if let Some(mime) = mime_for(&file.format) {
        named = named.set_content_type(mime);
    }
    Ok(with_cache(named.into_response(&req), ORIGINAL_CACHE))
}

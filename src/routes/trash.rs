//! `GET /trash` (admin): deleted sessions and images, each restorable, one by one or in bulk.
//! Restoring clears a flag; nothing on disk was ever removed.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::shared::form_ids::Fields;
use crate::db::ids::{ImageId, SessionId};
use crate::db::session_list;
use crate::db::trash::{self, DeletedImage};
use crate::domain::role::Role;
use crate::domain::session_filter::{SessionFilter, Show};
use crate::error::AppError;
use crate::views::session_list::{Pager, RowView};
use crate::web::htmx::toast;
use crate::web::render::{blocking, html, is_htmx};
use crate::web::{AppState, Identity, Layout};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TrashQuery {
    sessions_page: Option<i64>,
    images_page: Option<i64>,
}

#[derive(Template)]
#[template(path = "pages/trash.html")]
struct TrashPage {
    layout: Layout,
    view: TrashView,
}

#[derive(Template)]
#[template(path = "pages/trash.html", block = "trash")]
struct TrashFragment {
    view: TrashView,
}

struct TrashView {
    sessions: Vec<RowView>,
    session_pager: Pager,
    images: Vec<TrashImage>,
    image_pager: Pager,
}

/// A deleted image, its name cut in two so that a narrow card ellipsises the middle and keeps
/// the end, where names of one session differ (the counter, the seed).
struct TrashImage {
    image: DeletedImage,
    name_start: String,
    name_end: String,
}

/// Characters kept whole at the end of a file name.
const NAME_END: usize = 16;

impl From<DeletedImage> for TrashImage {
    fn from(image: DeletedImage) -> TrashImage {
        let chars = image.filename.chars().count();
        let cut = chars.saturating_sub(NAME_END.min(chars / 2));
        let name_start = image.filename.chars().take(cut).collect();
        let name_end = image.filename.chars().skip(cut).collect();
        TrashImage {
            image,
            name_start,
            name_end,
        }
    }
}

fn link(sessions_page: i64, images_page: i64) -> String {
    format!("/trash?sessions_page={sessions_page}&images_page={images_page}")
}

fn pages(query: &TrashQuery) -> Result<(i64, i64), AppError> {
    let check = |name: &str, page: Option<i64>| match page {
        None => Ok(1),
        Some(p) if (1..=1_000_000).contains(&p) => Ok(p),
        Some(p) => Err(AppError::BadInput(format!(
            "`{p}` is not a valid {name}: use a number from 1"
        ))),
    };
    Ok((
        check("sessions_page", query.sessions_page)?,
        check("images_page", query.images_page)?,
    ))
}

async fn load(
    state: &AppState,
    identity: &Identity,
    (sp, ip): (i64, i64),
) -> Result<TrashView, AppError> {
    let pool = state.pool.clone();
    let caller = identity.caller();
    blocking(move || {
        let mut conn = pool.get()?;
        let filter = SessionFilter {
            show: Show::Deleted,
            page: sp,
            per_page: PER_PAGE,
            ..Default::default()
        };
        let page = session_list::list(&mut conn, &filter, caller)?;
        let (images, image_total) =
            trash::deleted_images(&mut conn, PER_PAGE, (ip - 1) * PER_PAGE)?;
        Ok(TrashView {
            session_pager: Pager::new(page.total, sp, PER_PAGE, |p| link(p, ip)),
            sessions: RowView::rows(page, Default::default()),
            image_pager: Pager::new(image_total, ip, PER_PAGE, |p| link(sp, p)),
            images: images.into_iter().map(TrashImage::from).collect(),
        })
    })
    .await
}

pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<TrashQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let view = load(&state, &identity, pages(&query)?).await?;
    if is_htmx(&req) {
        return html(&TrashFragment { view });
    }
    html(&TrashPage {
        layout: Layout::new(&identity, &state, "trash", "Trash"),
        view,
    })
}

/// The trash pages the request came from, to re-render the same view after a restore.
fn current_pages(req: &HttpRequest) -> (i64, i64) {
    req.headers()
        .get("HX-Current-URL")
        .and_then(|v| v.to_str().ok())
        .and_then(|url| url.split_once('?'))
        .and_then(|(_, q)| serde_urlencoded::from_str::<TrashQuery>(q).ok())
        .and_then(|q| pages(&q).ok())
        .unwrap_or((1, 1))
}

fn came_from_trash(req: &HttpRequest) -> bool {
    req.headers()
        .get("HX-Current-URL")
        .and_then(|v| v.to_str().ok())
        .and_then(|url| {
            url.split("://")
                .nth(1)
                .and_then(|rest| rest.find('/').map(|at| &rest[at..]))
        })
        .is_none_or(|path| path.starts_with("/trash"))
}

async fn restore(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    sessions: Vec<SessionId>,
    images: Vec<ImageId>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    if sessions.is_empty() && images.is_empty() {
        return Err(AppError::BadInput(
            "select at least one session or image first".into(),
        ));
    }
    let pool = state.pool.clone();
    let (s, i) = blocking(move || {
        let mut conn = pool.get()?;
        Ok(crate::db::session_moves::restore(
            &mut conn, &sessions, &images,
        )?)
    })
    .await?;
    // The Restore button of an image or session page shown from the trash: that page reloads
    // and shows the item as live again.
    let mut response = if came_from_trash(&req) {
        let view = load(&state, &identity, current_pages(&req)).await?;
        html(&TrashFragment { view })?
    } else {
        let mut response = HttpResponse::Ok().finish();
        crate::web::htmx::refresh(&mut response);
        response
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let message = match (s, i) {
        (s, 0) => format!("{} restored", plural(s, "session", "sessions")),
        (0, i) => format!("{} restored", plural(i, "image", "images")),
        (s, i) => format!(
            "{} and {} restored",
            plural(s, "session", "sessions"),
            plural(i, "image", "images")
        ),
    };
    toast(&mut response, &message);
    Ok(response)
}

pub async fn restore_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    restore(
        req,
        state,
        identity,
        vec![SessionId(path.into_inner())],
        vec![],
    )
    .await
}

pub async fn restore_image(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    restore(
        req,
        state,
        identity,
        vec![],
        vec![ImageId(path.into_inner())],
    )
    .await
}

/// `POST /trash/restore` with `sessions` and `images` (repeatable).
pub async fn restore_selected(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::parse(&body)?;
    let sessions = fields.ids("sessions")?.into_iter().map(SessionId).collect();
    let images = fields.ids("images")?.into_iter().map(ImageId).collect();
    restore(req, state, identity, sessions, images).await
}

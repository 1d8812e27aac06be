//! One session's page: its head, its manifest facts and its gallery.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::SqliteConnection;

use super::shared::gallery_parts::{
    TilePart, TilesPart, parse_filter, results_response, viewer, wants_results,
};
use super::shared::reach;
use crate::db::ids::{ImageId, SessionId};
use crate::db::{gallery, review_queue, session_detail};
use crate::domain::role::Role;
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::views::filter_bar::{FilterBar, FilterChoices};
use crate::views::gallery::{self as gallery_view, GalleryView, Viewer};
use crate::views::gallery_paths::GalleryPaths;
use crate::views::session::{SessionFacts, SessionHead};
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout};

/// A session holds at most a few thousand images: counting them all is cheap.
const COUNT_CAP: i64 = 100_000;

#[derive(Template)]
#[template(path = "pages/session.html")]
struct SessionPage {
    layout: Layout,
    /// Shown to an admin from the trash: a Restore button and nothing that changes it.
    in_trash: bool,
    head: SessionHead,
    facts: SessionFacts,
    filters: FilterBar,
    gallery: GalleryView,
    /// Images I have not rated yet, for "Review 37 left"; None for a viewer.
    review_left: Option<i64>,
}

type Query = web::Query<Vec<(String, String)>>;

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let id = SessionId(path.into_inner());
    let mut filter = parse_filter(&query, &identity)?;
    filter.session = Some(id);
    let paths = GalleryPaths::session(id);
    let role = identity.role;
    let mut viewer = viewer(&identity);
    let pool = state.pool.clone();
    if wants_results(&req) {
        let url = format!(
            "{}?{}",
            paths.page,
            gallery_view::own_query(&filter, filter.page, &paths)
        );
        let gallery = blocking(move || {
            let mut conn = pool.get()?;
            look(&mut conn, id, role, &mut viewer)?;
            gallery_view::load(&mut conn, &filter, &viewer, &paths, COUNT_CAP)
        })
        .await?;
        return results_response(gallery, url.trim_end_matches('?').to_owned());
    }
    let me = identity.user_id;
    let can_review = identity.role.can_review();
    let (session, facts, filters, gallery, in_trash, review_left) = blocking(move || {
        let mut conn = pool.get()?;
        let in_trash = look(&mut conn, id, role, &mut viewer)?;
        let session = session_detail::find(&mut conn, id)?
            .ok_or(AppError::NotFound(format!("session {id}")))?;
        let (on_disk, rated) = session_detail::image_counts(&mut conn, id)?;
        let variations = session_detail::variations_used(&mut conn, id)?;
        let gone = session_detail::gone(&mut conn, id)?;
        let facts = SessionFacts::new(&session, (on_disk, rated), gone, variations.clone());
        let gallery = gallery_view::load(&mut conn, &filter, &viewer, &paths, COUNT_CAP)?;
        let choices = FilterChoices {
            placeholders: variations,
            raters: session_detail::raters(&mut conn, Some(id))?,
            categories: gallery.categories.clone(),
            is_admin: viewer.is_admin,
        };
        let filters = FilterBar::new(&filter, paths.page.clone(), false, choices);
        let review_left = match can_review && !in_trash {
            true => Some(review_queue::unrated_in_session(&mut conn, id, me)?),
            false => None,
        };
        Ok((session, facts, filters, gallery, in_trash, review_left))
    })
    .await?;
    let head = SessionHead::new(&session, identity.role.can_review() && !in_trash);
    let area = if in_trash { "trash" } else { "sessions" };
    let layout = Layout::new(&identity, &state, area, head.title.clone());
    html(&SessionPage {
        layout,
        in_trash,
        head,
        facts,
        filters,
        gallery,
        review_left,
    })
}

/// Whether the session is in the trash (404 unless an admin looks); there, the viewer
/// changes nothing.
fn look(
    conn: &mut SqliteConnection,
    id: SessionId,
    role: Role,
    viewer: &mut Viewer,
) -> Result<bool, AppError> {
    let in_trash = reach::session(conn, id, role, Access::Look)?.in_trash();
    viewer.can_review &= !in_trash;
    Ok(in_trash)
}

/// The tiles of another page of the same filter, for scrolling on.
pub async fn tiles(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let id = SessionId(path.into_inner());
    let mut filter = parse_filter(&query, &identity)?;
    filter.session = Some(id);
    let role = identity.role;
    let mut viewer = viewer(&identity);
    let pool = state.pool.clone();
    let gallery = blocking(move || {
        let mut conn = pool.get()?;
        look(&mut conn, id, role, &mut viewer)?;
        gallery_view::load(
            &mut conn,
            &filter,
            &viewer,
            &GalleryPaths::session(id),
            COUNT_CAP,
        )
    })
    .await?;
    html(&TilesPart { gallery })
}

/// One tile again, after it was rated from the gallery's keys. The query is the gallery's
/// filter, so the tile's link keeps it.
pub async fn tile(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<(i32, i32)>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let (session, image) = path.into_inner();
    let (session, image) = (SessionId(session), ImageId(image));
    let filter = parse_filter(&query, &identity)?;
    let caller = identity.caller();
    let role = identity.role;
    let pool = state.pool.clone();
    let tile = blocking(move || {
        let mut conn = pool.get()?;
        reach::image(&mut conn, image, role, Access::Look)?;
        let item = gallery::one(&mut conn, caller, image)?
            .filter(|item| item.session_id == session)
            .ok_or(AppError::NotFound(format!(
                "image {image} in session {session}"
            )))?;
        Ok(gallery_view::tile_again(&mut conn, &item, caller, &filter)?)
    })
    .await?;
    html(&TilePart { tile })
}

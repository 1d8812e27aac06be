//! Bulk actions from a gallery: rate, KO, delete, restore the selected images, or every image
//! of the filter. The filter comes in the URL, the selection and action in the form.

use actix_web::{HttpResponse, web};

use super::shared::gallery_parts::{ResultsPart, parse_filter, viewer};
use super::shared::reach;
use crate::db::ids::SessionId;
use crate::db::judgements::{self, Mode};
use crate::db::{gallery, image_flags, trash_state};
use crate::domain::bulk_action::{BulkAction, BulkRequest, Selection};
use crate::domain::rating::RatingAction;
use crate::domain::role::Role;
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::views::gallery as gallery_view;
use crate::views::gallery_paths::GalleryPaths;
use crate::web::htmx::{toast, toast_with_undo};
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

/// "Select all matching" acts on at most this many images in one request.
const MAX_ALL: i64 = 50_000;
/// A delete of more images than this gets no Undo button (their ids would not fit a header);
/// the trash still restores them.
const MAX_UNDO: usize = 500;

type Pairs = Vec<(String, String)>;

pub async fn session_bulk(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: web::Query<Pairs>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let id = SessionId(path.into_inner());
    bulk(state, identity, Some(id), &query, &form).await
}

pub async fn search_bulk(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Pairs>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    bulk(state, identity, None, &query, &form).await
}

fn done_message(action: &BulkAction, changed: usize) -> String {
    let images = if changed == 1 { "image" } else { "images" };
    match action {
        BulkAction::Delete => format!("Deleted {changed} {images}"),
        BulkAction::Restore => format!("Restored {changed} {images}"),
        BulkAction::Rate(rating) => {
            let what = match rating {
                RatingAction::Perfect => "Thumbs up on",
                RatingAction::Imperfect => "Thumbs down on",
                RatingAction::Like => "Liked",
                RatingAction::Ko { .. } => "KO on",
                RatingAction::Ok => "OK on",
                RatingAction::NotKo => "Took KO back on",
                RatingAction::Restore(_) => "Restored the rating of",
            };
            format!("{what} {changed} {images}")
        }
    }
}

async fn bulk(
    state: web::Data<AppState>,
    identity: Identity,
    session: Option<SessionId>,
    query: &[(String, String)],
    form: &[(String, String)],
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let mut filter = parse_filter(query, &identity)?;
    let request = BulkRequest::parse(form).map_err(AppError::BadInput)?;
    if matches!(request.action, BulkAction::Delete | BulkAction::Restore) {
        identity.require(Role::Admin)?;
    }
    let paths = match session {
        Some(id) => {
            filter.session = Some(id);
            GalleryPaths::session(id)
        }
        None => GalleryPaths::search(),
    };
    let viewer = viewer(&identity);
    let role = identity.role;
    let pool = state.pool.clone();
    let view = blocking(move || {
        let mut conn = pool.get()?;
        // A session's gallery, or a search within one session.
        if let Some(id) = filter.session {
            reach::session(&mut conn, id, role, Access::Change)?;
        }
        let ids = match &request.selection {
            Selection::Ids(ids) => image_flags::existing(&mut conn, ids, filter.session)?,
            Selection::AllMatching => {
                let all = gallery::ids(&mut conn, &filter, viewer.caller, MAX_ALL + 1)?;
                if all.len() as i64 > MAX_ALL {
                    return Err(AppError::BadInput(format!(
                        "more than {MAX_ALL} images match: narrow the filter first"
                    )));
                }
                all
            }
        };
        // Only a restore reaches into the trash; everything else leaves its images alone.
        let (ids, skipped) = match request.action {
            BulkAction::Restore => (ids, 0),
            _ => trash_state::live_images(&mut conn, ids)?,
        };
        let now = crate::db::now();
        let mut undo = Vec::new();
        let changed = match &request.action {
            BulkAction::Delete => {
                undo = image_flags::set_deleted(&mut conn, &ids, true, now)?;
                undo.len()
            }
            BulkAction::Restore => image_flags::set_deleted(&mut conn, &ids, false, now)?.len(),
            BulkAction::Rate(action) => {
                judgements::rate(&mut conn, viewer.caller, &ids, action, Mode::Set)?
                    .iter()
                    .filter(|(_, before, after)| before != after)
                    .count()
            }
        };
        let mut shown = filter.clone();
        shown.page = 1;
        let view = gallery_view::load(&mut conn, &shown, &viewer, &paths, 100_000)?;
        Ok((changed, skipped, undo, (request.action, view)))
    })
    .await?;
    let (changed, skipped, undo, (action, gallery)) = view;
    let url = gallery.bulk_url.clone();
    let mut response = html(&ResultsPart { gallery })?;
    let message = done_message(&action, changed) + &reach::skipped_note(skipped);
    // Undo restores what the delete took, when the list of them is short enough for a header.
    if !undo.is_empty() && undo.len() <= MAX_UNDO {
        let mut fields = vec![("action", "restore".to_owned())];
        fields.extend(undo.iter().map(|id| ("ids", id.to_string())));
        toast_with_undo(&mut response, &message, &url, "#gallery-results", &fields);
    } else {
        toast(&mut response, &message);
    }
    Ok(response)
}

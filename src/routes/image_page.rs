//! The image page: the image as large as the screen allows, its metadata, the rating panel,
//! notes, and previous / next through the gallery filter the user came from.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::ids::ImageId;
use crate::db::models::{FailureCategory, Image};
use crate::db::{gallery, image_metadata, images, judgements};
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::highlight::{Segment, highlight};
use crate::domain::image_details::{ImageDetails, human_size};
use crate::domain::role::Role;
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::insights::like_this::{LikeThis, for_image};
use crate::routes::shared::reach;
use crate::similar::near::near;
use crate::views::near_duplicates::NearView;

/// The image page's "Prompts like this that worked" box lists at most this many.
const LIKE_THIS_SHOWN: usize = 6;
use crate::views::prediction::PredictionView;
use crate::views::rating_panel::RatingPanel;
use crate::web::href::with_query;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout, assets};

/// Longer notes are refused with a 400 rather than cut.
pub const MAX_NOTES: usize = 4000;

pub struct Link {
    pub href: String,
    pub label: String,
}

pub struct NotesView {
    pub image_id: ImageId,
    pub text: String,
    pub can_edit: bool,
    pub saved: bool,
    pub max: usize,
}

#[derive(Template)]
#[template(path = "pages/image.html")]
pub struct ImagePage {
    pub layout: Layout,
    pub image: Image,
    pub alt: String,
    pub size: String,
    pub placeholder: String,
    pub back: Link,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub details: ImageDetails,
    pub prompt: Vec<Segment>,
    pub negative: Vec<Segment>,
    pub panel: RatingPanel,
    pub notes: NotesView,
    pub categories: Vec<FailureCategory>,
    /// Shown to an admin from the trash: a Restore button and nothing that changes it.
    pub in_trash: bool,
    pub near: NearView,
    pub predicted: Option<PredictionView>,
    /// "Prompts like this that worked": judged-OK images whose prompts share the most words.
    /// None: the box loads itself when scrolled to.
    pub like_this: Option<Vec<LikeThis>>,
}

#[derive(Template)]
#[template(path = "pages/image.html", block = "notes_box")]
pub struct NotesFragment {
    pub notes: NotesView,
}

/// The gallery filter from the query (with neither a session nor a search, the image's own
/// session in file order), and whether "prompts like this" is asked for with the page
/// (`like_this=1`: without JavaScript; with it, the box loads itself when scrolled to).
fn filter_from(req: &HttpRequest) -> Result<(GalleryFilter, bool), AppError> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadInput(format!("the address is not understood: {e}")))?;
    let like_this = pairs.iter().any(|(k, v)| k == "like_this" && v == "1");
    pairs.retain(|(k, _)| k != "like_this");
    Ok((
        GalleryFilter::parse(&pairs).map_err(AppError::BadInput)?,
        like_this,
    ))
}

#[derive(Template)]
#[template(path = "partials/like_this.html")]
struct LikeThisBox {
    like_this: Vec<LikeThis>,
}

/// The "prompts like this that worked" box alone, which the image page loads when it is
/// scrolled to: it reads the prompt index, too slow to hold up every image page.
pub async fn like_this_box(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ImageId(id.into_inner());
    let (pool, caller) = (state.pool.clone(), identity.caller());
    let found = blocking(move || for_image(&mut *pool.get()?, caller, id, LIKE_THIS_SHOWN))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no image {id}")))?;
    html(&LikeThisBox { like_this: found })
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = ImageId(id.into_inner());
    let (mut filter, with_like_this) = filter_from(&req)?;
    let pool = state.pool.clone();
    let caller = identity.caller();
    let role = identity.role;
    let similar = state.similar.clone();
    let loaded = blocking(move || {
        let conn = &mut *pool.get()?;
        let in_trash = reach::image(conn, id, role, Access::Look)?.in_trash();
        let can_rate = role.can_review() && !in_trash;
        let Some((image, session)) = images::find_with_session(conn, id)? else {
            return Ok(None);
        };
        // Previous / next through another session (`session=` in the address) only when that
        // session may be looked at: its images' ids are not revealed otherwise.
        if let Some(other) = filter.session.filter(|other| *other != session.id) {
            reach::session(conn, other, role, Access::Look)?;
        }
        if filter.session.is_none() && filter.search.is_none() {
            filter.session = Some(session.id);
        }
        let (prev, next) = gallery::neighbours(conn, &filter, caller, id)?;
        let metadata = image_metadata::full_metadata(conn, id)?.unwrap_or_default();
        let panel = RatingPanel::load(conn, id, caller, can_rate, None)?;
        let categories = judgements::failure_categories(conn)?;
        let near = NearView::new(id, near(conn, &similar, caller, id, None)?, can_rate);
        let like_this = if with_like_this {
            Some(for_image(conn, caller, id, LIKE_THIS_SHOWN)?.unwrap_or_default())
        } else {
            None
        };
        Ok(Some((
            (image, session, in_trash, near, like_this),
            filter,
            prev,
            next,
            metadata,
            panel,
            categories,
        )))
    })
    .await?;
    let Some((
        (image, session, in_trash, near, like_this),
        filter,
        prev,
        next,
        metadata,
        panel,
        categories,
    )) = loaded
    else {
        return Err(AppError::NotFound(format!("there is no image {id}")));
    };
    let query = filter.query_string();
    let back = match (&filter.search, filter.session) {
        // Opened from the trash page: back to it.
        _ if in_trash && !filter.deleted => Link {
            href: "/trash".into(),
            label: "Trash".into(),
        },
        (Some(search), None) => Link {
            href: with_query("/search", &query),
            label: format!("Search: {}", search.text),
        },
        _ => {
            let session_query = serde_urlencoded::to_string(
                filter
                    .pairs()
                    .into_iter()
                    .filter(|(k, _)| *k != "session")
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default();
            Link {
                href: with_query(&format!("/sessions/{}", session.id), &session_query),
                label: session.shown().to_owned(),
            }
        }
    };
    let neighbour =
        |other: Option<ImageId>| other.map(|o| with_query(&format!("/images/{o}"), &query));
    let details = ImageDetails::from_metadata(&metadata);
    let words = filter
        .search
        .as_ref()
        .map(|s| s.words.clone())
        .unwrap_or_default();
    let marked = |text: &Option<String>| highlight(text.as_deref().unwrap_or_default(), &words);
    let predicted = PredictionView::of(image.ml_predictions.as_deref(), &categories);
    let page = ImagePage {
        layout: Layout::new(
            &identity,
            &state,
            if in_trash { "trash" } else { "sessions" },
            format!("{} · {}", image.filename, session.shown()),
        )
        .with_search(filter.search.as_ref().map_or("", |s| s.text.as_str())),
        alt: format!("{} from {}", image.filename, session.shown()),
        size: human_size(image.file_size),
        placeholder: assets::url("icons/broken-image.svg"),
        back,
        prev: neighbour(prev),
        next: neighbour(next),
        prompt: marked(&details.prompt),
        negative: marked(&details.negative_prompt),
        details,
        notes: NotesView {
            image_id: id,
            text: image.notes.clone().unwrap_or_default(),
            can_edit: panel.can_rate,
            saved: false,
            max: MAX_NOTES,
        },
        in_trash,
        image,
        panel,
        categories,
        near,
        predicted,
        like_this,
    };
    html(&page)
}

#[derive(Deserialize)]
pub struct NotesForm {
    notes: String,
}

pub async fn save_notes(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    form: web::Form<NotesForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = ImageId(id.into_inner());
    let text = form.into_inner().notes.trim().to_owned();
    let length = text.chars().count();
    if length > MAX_NOTES {
        return Err(AppError::BadInput(format!(
            "notes are limited to {MAX_NOTES} characters; these have {length}"
        )));
    }
    let pool = state.pool.clone();
    let stored = text.clone();
    let found = blocking(move || {
        let conn = &mut *pool.get()?;
        let notes = Some(stored.as_str()).filter(|t| !t.is_empty());
        Ok(images::set_notes(conn, id, notes, crate::db::now())?)
    })
    .await?;
    if !found {
        return Err(AppError::NotFound(format!("there is no image {id}")));
    }
    html(&NotesFragment {
        notes: NotesView {
            image_id: id,
            text,
            can_edit: true,
            saved: true,
            max: MAX_NOTES,
        },
    })
}

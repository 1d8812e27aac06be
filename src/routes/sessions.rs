//! The sessions list: `GET /sessions`, whole page or (for htmx) only its list block.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::session_news::NewsPoller;
use crate::db::{library_news, session_flags, session_list};
use crate::domain::role::Role;
use crate::domain::session_filter::{SessionFilter, SessionQuery, Show};
use crate::error::AppError;
use crate::views::session_list::{FormView, Pager, RowView, session_link};
use crate::web::render::{blocking, html, is_htmx};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/sessions.html")]
pub struct SessionsPage {
    pub layout: Layout,
    pub form: FormView,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub first_start: Option<FirstStart>,
    pub news: NewsPoller,
    pub can_review: bool,
    pub can_delete: bool,
}

#[derive(Template)]
#[template(path = "pages/sessions.html", block = "list")]
pub struct SessionsList {
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub first_start: Option<FirstStart>,
    pub news: NewsPoller,
    pub can_review: bool,
}

/// An empty library: where sdreview looks for it, and whether an import is running.
pub struct FirstStart {
    pub library: String,
    pub importing: bool,
}

pub fn parse(query: &SessionQuery) -> Result<SessionFilter, AppError> {
    SessionFilter::try_from(query).map_err(AppError::BadInput)
}

/// The filter of the page an htmx request came from, so a re-rendered list stays as it was.
pub fn filter_of_current_page(req: &HttpRequest) -> SessionFilter {
    req.headers()
        .get("HX-Current-URL")
        .and_then(|v| v.to_str().ok())
        .and_then(|url| url.split_once('?'))
        .and_then(|(_, query)| serde_urlencoded::from_str::<SessionQuery>(query).ok())
        .and_then(|query| SessionFilter::try_from(&query).ok())
        .unwrap_or_default()
}

/// The list block alone, for htmx swaps after a filter change or a bulk action.
pub async fn list_fragment(
    state: &AppState,
    identity: &Identity,
    filter: SessionFilter,
) -> Result<SessionsList, AppError> {
    let listing = load(state, identity, filter, false).await?;
    Ok(SessionsList {
        rows: listing.rows,
        pager: listing.pager,
        first_start: listing.first_start,
        news: listing.news,
        can_review: identity.role.can_review(),
    })
}

/// Thumbnails in a row's strip on wide screens, besides its cover.
pub(super) const STRIP: usize = 6;

struct Listing {
    rows: Vec<RowView>,
    pager: Pager,
    first_start: Option<FirstStart>,
    news: NewsPoller,
    models: Vec<String>,
    samplers: Vec<String>,
}

async fn load(
    state: &AppState,
    identity: &Identity,
    filter: SessionFilter,
    options: bool,
) -> Result<Listing, AppError> {
    // Deleted sessions are the trash, which only admins see.
    if filter.show == Show::Deleted {
        identity.require(Role::Admin)?;
    }
    let pool = state.pool.clone();
    let pictures = state.pictures.clone();
    let caller = identity.caller();
    let library = state.library_root.display().to_string();
    let importing = state.import.is_running();
    blocking(move || {
        let mut conn = pool.get()?;
        // Read before the list, so that a session arriving in between is announced, not lost.
        let latest = library_news::latest_ids(&mut conn)?;
        let page = session_list::list(&mut conn, &filter, caller)?;
        let ids: Vec<_> = page.rows.iter().map(|row| row.id).collect();
        let pictures = pictures.of_sessions(&mut conn, &ids, STRIP)?;
        let (models, samplers) = if options {
            session_list::models_and_samplers(&mut conn)?
        } else {
            Default::default()
        };
        let first_start = (page.total == 0 && session_flags::library_is_empty(&mut conn)?)
            .then_some(FirstStart { library, importing });
        let pager = Pager::new(page.total, filter.page, filter.per_page, |p| {
            session_link(&filter, p)
        });
        let news = NewsPoller::new(&filter, latest, 0);
        Ok(Listing {
            rows: RowView::rows(page, pictures),
            pager,
            first_start,
            news,
            models,
            samplers,
        })
    })
    .await
}

pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = parse(&query)?;
    if is_htmx(&req) {
        return html(&list_fragment(&state, &identity, filter).await?);
    }
    let listing = load(&state, &identity, filter.clone(), true).await?;
    let mut form = FormView::new(&filter, listing.models, listing.samplers);
    if !identity.role.can_administer() {
        form.shows.retain(|show| *show != Show::Deleted.as_str());
    }
    html(&SessionsPage {
        layout: Layout::new(&identity, &state, "sessions", "Sessions"),
        form,
        rows: listing.rows,
        pager: listing.pager,
        first_start: listing.first_start,
        news: listing.news,
        can_review: identity.role.can_review(),
        can_delete: identity.role.can_administer(),
    })
}

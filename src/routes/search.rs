//! Full-text search of prompts across the library, shown as a gallery with the same filters.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::SqliteConnection;

use super::shared::gallery_parts::{
    TilesPart, parse_filter, results_response, viewer, wants_results,
};
use super::shared::reach;
use crate::db::{judgements, session_detail};
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::role::Role;
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::views::filter_bar::{FilterBar, FilterChoices};
use crate::views::gallery::{self as gallery_view, GalleryView};
use crate::views::gallery_paths::GalleryPaths;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout};

/// Counting every match of a common word in a large library costs more than the page; past
/// this the count says "1,000+".
const COUNT_CAP: i64 = 1_000;

#[derive(Template)]
#[template(path = "pages/search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    /// Why the search could not run; the page still shows the box to fix it.
    error: Option<String>,
    filters: Option<FilterBar>,
    gallery: Option<GalleryView>,
    /// Only "not rated by me", with no words: the sessions page's "Review unrated".
    unrated: bool,
}

type Query = web::Query<Vec<(String, String)>>;

fn typed(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let q = typed(&query);
    let layout = Layout::new(&identity, &state, "search", "Search").with_search(&q);
    let filter = match parse_filter(&query, &identity) {
        Ok(filter) => filter,
        Err(AppError::BadInput(message)) => {
            let page = SearchPage {
                layout,
                q,
                error: Some(message),
                filters: None,
                gallery: None,
                unrated: false,
            };
            let mut response = html(&page)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(response);
        }
        Err(other) => return Err(other),
    };
    if filter.search.is_none() && !filter.is_filtered() {
        return html(&SearchPage {
            layout,
            q,
            error: None,
            filters: None,
            gallery: None,
            unrated: false,
        });
    }
    let paths = GalleryPaths::search();
    let unrated = filter.unrated_by_me;
    let viewer = viewer(&identity);
    let role = identity.role;
    let pool = state.pool.clone();
    if wants_results(&req) {
        let url = format!(
            "/search?{}",
            gallery_view::own_query(&filter, filter.page, &paths)
        );
        let gallery = blocking(move || {
            let mut conn = pool.get()?;
            look_into_scope(&mut conn, &filter, role)?;
            gallery_view::load(&mut conn, &filter, &viewer, &paths, COUNT_CAP)
        })
        .await?;
        return results_response(gallery, url);
    }
    let (filters, gallery) = blocking(move || {
        let mut conn = pool.get()?;
        look_into_scope(&mut conn, &filter, role)?;
        let gallery = gallery_view::load(&mut conn, &filter, &viewer, &paths, COUNT_CAP)?;
        let placeholders = match filter.session {
            Some(session) => session_detail::variations_used(&mut conn, session)?,
            None => Vec::new(),
        };
        let choices = FilterChoices {
            placeholders,
            raters: session_detail::raters(&mut conn, filter.session)?,
            categories: judgements::failure_categories(&mut conn)?
                .into_iter()
                .map(|c| (c.name, c.label))
                .collect(),
            is_admin: viewer.is_admin,
        };
        let filters = FilterBar::new(&filter, paths.page.clone(), true, choices);
        Ok((filters, gallery))
    })
    .await?;
    html(&SearchPage {
        layout,
        q,
        error: None,
        filters: Some(filters),
        gallery: Some(gallery),
        unrated,
    })
}

/// A search within one session (`session=`) looks at that session: out of reach when it is in
/// the trash, as its page is.
fn look_into_scope(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    role: Role,
) -> Result<(), AppError> {
    if let Some(session) = filter.session {
        reach::session(conn, session, role, Access::Look)?;
    }
    Ok(())
}

pub async fn tiles(
    state: web::Data<AppState>,
    identity: Identity,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let filter = parse_filter(&query, &identity)?;
    let viewer = viewer(&identity);
    let role = identity.role;
    let pool = state.pool.clone();
    let gallery = blocking(move || {
        let mut conn = pool.get()?;
        look_into_scope(&mut conn, &filter, role)?;
        gallery_view::load(
            &mut conn,
            &filter,
            &viewer,
            &GalleryPaths::search(),
            COUNT_CAP,
        )
    })
    .await?;
    html(&TilesPart { gallery })
}

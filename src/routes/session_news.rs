//! `GET /sessions/news`: polled every second by the sessions list. Answers 204 when nothing
//! arrived since the page was drawn; otherwise the rows of the new sessions (put at the top of
//! the list when it is sorted newest first), the rows of sessions that gained images, and a
//! "3 new sessions" pill.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::ids::SessionId;
use crate::db::{library_news, session_list};
use crate::domain::session_filter::{SessionFilter, SessionQuery, Sort};
use crate::error::AppError;
use crate::views::session_list::{RowView, session_link};
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

/// Where the list stands: the newest ids it has seen and how many new sessions it announced.
pub struct NewsPoller {
    pub url: String,
    pub reload: String,
    pub count: i64,
}

impl NewsPoller {
    pub fn new(filter: &SessionFilter, (after, images_after): (i32, i32), count: i64) -> Self {
        let own = filter.query_string(filter.page);
        let mut url = format!("/sessions/news?after={after}&images_after={images_after}&n={count}");
        if !own.is_empty() {
            url.push('&');
            url.push_str(&own);
        }
        NewsPoller {
            url,
            reload: session_link(filter, 1),
            count,
        }
    }
}

#[derive(Deserialize)]
struct Seen {
    after: i32,
    images_after: i32,
    #[serde(default)]
    n: i64,
}

#[derive(Template)]
#[template(path = "partials/session_news_update.html")]
struct NewsUpdate {
    news: NewsPoller,
    new_rows: Vec<RowView>,
    changed_rows: Vec<RowView>,
    can_review: bool,
}

/// New rows go to the top only where the newest sessions are: page 1, newest first.
fn shows_newest_first(filter: &SessionFilter) -> bool {
    filter.page == 1 && filter.sort == Sort::Date && !filter.ascending
}

pub async fn news(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let bad = |e: serde_urlencoded::de::Error| {
        AppError::BadInput(format!("the list's news address is not understood: {e}"))
    };
    // The poller's own parameters, then the list's filter, which refuses any it does not know.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(bad)?;
    let (own, list): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(key, _)| matches!(key.as_str(), "after" | "images_after" | "n"));
    let again = |pairs: &[(String, String)]| serde_urlencoded::to_string(pairs).unwrap_or_default();
    let seen: Seen = serde_urlencoded::from_str(&again(&own)).map_err(bad)?;
    let query: SessionQuery = serde_urlencoded::from_str(&again(&list)).map_err(bad)?;
    let filter = super::sessions::parse(&query)?;
    let pool = state.pool.clone();
    let pictures = state.pictures.clone();
    let caller = identity.caller();
    let listed = filter.clone();
    let update = blocking(move || {
        let filter = listed;
        let mut conn = pool.get()?;
        let latest = library_news::latest_ids(&mut conn)?;
        if latest.0 <= seen.after && latest.1 <= seen.images_after {
            return Ok(None);
        }
        if !shows_newest_first(&filter) {
            let count = seen.n + library_news::sessions_after(&mut conn, seen.after)?;
            return Ok(Some((latest, count, Vec::new(), Vec::new())));
        }
        let grew = library_news::sessions_with_images_after(&mut conn, seen.images_after)?;
        let page = session_list::list(&mut conn, &filter, caller)?;
        let ids: Vec<_> = page.rows.iter().map(|row| row.id).collect();
        let pictures = pictures.of_sessions(&mut conn, &ids, super::sessions::STRIP)?;
        let rows = RowView::rows(page, pictures);
        let (new_rows, old_rows): (Vec<RowView>, Vec<RowView>) = rows
            .into_iter()
            .partition(|row| row.id > SessionId(seen.after));
        let changed_rows = old_rows
            .into_iter()
            .filter(|row| grew.contains(&row.id))
            .collect();
        let count = seen.n + new_rows.len() as i64;
        Ok(Some((latest, count, new_rows, changed_rows)))
    })
    .await?;
    let Some((latest, count, new_rows, changed_rows)) = update else {
        return Ok(HttpResponse::NoContent().finish());
    };
    html(&NewsUpdate {
        news: NewsPoller::new(&filter, latest, count),
        new_rows,
        changed_rows,
        can_review: identity.role.can_review(),
    })
}

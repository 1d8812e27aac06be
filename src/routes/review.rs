//! `GET /review`: the review screen, one image at a time through a queue (by default the
//! images I have not rated, newest session first). The page works as it is, with a form per
//! decision; `static/js/review.js` turns it into one key or swipe per decision with the next
//! images already loaded. `GET /review/summary` is the end-of-pass block alone, for the script.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::SqliteConnection;

use crate::db::caller::Caller;
use crate::db::{judgements, review_items, review_pass, review_queue, session_detail};
use crate::domain::rating::Verdict;
use crate::domain::review_order::ReviewOrder;
use crate::domain::review_query::ReviewQuery;
use crate::error::AppError;
use crate::routes::shared::review_group;
use crate::views::review_item::ReviewItem;
use crate::views::review_screen::{EndLinks, ReviewScreen, ScreenParts};
use crate::views::review_summary::PassSummary;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout, assets};

/// Images handed to the page at once; the script asks for more as the pass goes on.
pub const PAGE: usize = 12;
/// "10,000+ left" is enough to know; counting a million rows is not worth it.
pub const COUNT_CAP: i64 = 10_000;

#[derive(Template)]
#[template(path = "pages/review.html")]
struct ReviewPage {
    layout: Layout,
    review: ReviewScreen,
    summary: PassSummary,
    end: EndLinks,
}

#[derive(Template)]
#[template(path = "pages/review.html", block = "summary")]
struct SummaryFragment {
    summary: PassSummary,
    end: EndLinks,
}

type Query = web::Query<Vec<(String, String)>>;

pub fn parse(pairs: &[(String, String)]) -> Result<ReviewQuery, AppError> {
    ReviewQuery::parse(pairs).map_err(AppError::BadInput)
}

/// What is being reviewed, and the page to go back to.
fn scope(conn: &mut SqliteConnection, query: &ReviewQuery) -> Result<(String, EndLinks), AppError> {
    let mut again = query.clone();
    again.since = None;
    let again_href = format!("/review?{}", again.query_string());
    let mut gallery = query.scope();
    gallery.session = None;
    let rest = gallery.query_string();
    let with = |path: String| {
        if rest.is_empty() {
            path
        } else {
            format!("{path}?{rest}")
        }
    };
    let (label, exit_href, exit_label) = if let Some(id) = query.filter.session {
        let session = session_detail::find(conn, id)?
            .ok_or_else(|| AppError::NotFound(format!("there is no session {id}")))?;
        let name = session
            .display_name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(session.name);
        (name.clone(), with(format!("/sessions/{id}")), name)
    } else if let Some(search) = &query.filter.search {
        let label = format!("Search: {}", search.text);
        (label.clone(), with("/search".into()), label)
    } else if let Some(tag) = &query.tag {
        let href = format!(
            "/sessions?tag={}",
            crate::web::href::url_escape(tag.as_str())
        );
        (format!("Tag: {tag}"), href, "the sessions".into())
    } else {
        (
            "Whole library".into(),
            "/sessions".into(),
            "the sessions".into(),
        )
    };
    Ok((
        label,
        EndLinks {
            exit_href,
            exit_label,
            again_href,
        },
    ))
}

/// The pass's judgements so far, for its progress and, at the end, its summary.
fn pass(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
) -> Result<PassSummary, AppError> {
    let categories = judgements::failure_categories(conn)?;
    let judged = match query.since {
        Some(since) => review_pass::judged_since(conn, query, caller, since)?,
        None => Vec::new(),
    };
    Ok(PassSummary::new(&judged, &categories))
}

pub async fn show(
    state: web::Data<AppState>,
    identity: Identity,
    pairs: Query,
) -> Result<HttpResponse, AppError> {
    let mut query = parse(&pairs)?;
    // A new pass starts now; its links carry the time so its summary counts from here.
    if query.since.is_none() {
        query.since = Some(crate::db::now());
    }
    if query.order == ReviewOrder::Random && !pairs.iter().any(|(k, _)| k == "salt") {
        query.salt = rand::random();
    }
    let pool = state.pool.clone();
    let caller = identity.caller();
    let can_rate = identity.role.can_review();
    let is_admin = identity.role == crate::domain::role::Role::Admin;
    let csrf = identity.csrf.clone().unwrap_or_default();
    let user = identity.name.clone();
    let (screen, summary, end) = blocking(move || {
        let conn = &mut *pool.get()?;
        let (label, end) = scope(conn, &query)?;
        let page = review_queue::page(conn, &query, caller, PAGE)?;
        let mut facts = review_items::facts(conn, &page.items, caller)?;
        let mine = page
            .items
            .first()
            .and_then(|item| facts.get(&item.id))
            .map_or_else(Verdict::default, |f| f.mine.clone());
        let mut items: Vec<ReviewItem> = page
            .items
            .iter()
            .map(|item| {
                let facts = facts.remove(&item.id).unwrap_or_default();
                ReviewItem::new(item, facts, query.blind)
            })
            .collect();
        review_group::attach(conn, &query, &mut items, is_admin)?;
        let summary = pass(conn, &query, caller)?;
        let left = review_queue::count(conn, &query, caller, COUNT_CAP)?;
        let group = items.first().and_then(|item| item.group.clone());
        let mut screen = ReviewScreen::new(ScreenParts {
            query: &query,
            items,
            mine,
            more: page.more,
            left,
            done: summary.judged as i64,
            categories: judgements::failure_categories(conn)?,
            can_rate,
            csrf,
            user,
            scope: label,
        });
        screen.group = group;
        screen.grouping = query.filter.group_near;
        screen.household_blind = crate::db::blind_review::binds(conn, caller)?;
        screen.can_keep_best = is_admin;
        Ok((screen, summary, end))
    })
    .await?;
    let mut layout = Layout::new(&identity, &state, "review", "Review");
    layout.stylesheets = ["css/app.css", "css/review.css"].map(assets::url).to_vec();
    layout.scripts = [
        "js/app.js",
        "js/review_rules.js",
        "js/review_saves.js",
        "js/review_ahead.js",
        "js/review_slots.js",
        "js/review_info.js",
        "js/review_conflicts.js",
        "js/review_gestures.js",
        "js/review.js",
    ]
    .map(assets::url)
    .to_vec();
    html(&ReviewPage {
        layout,
        review: screen,
        summary,
        end,
    })
}

/// The end of a pass, as the script shows it when the queue runs out.
pub async fn summary(
    state: web::Data<AppState>,
    identity: Identity,
    pairs: Query,
) -> Result<HttpResponse, AppError> {
    let query = parse(&pairs)?;
    if query.since.is_none() {
        return Err(AppError::BadInput(
            "a summary needs `since`, the time its pass started".into(),
        ));
    }
    let pool = state.pool.clone();
    let caller = identity.caller();
    let (summary, end) = blocking(move || {
        let conn = &mut *pool.get()?;
        let (_, end) = scope(conn, &query)?;
        Ok((pass(conn, &query, caller)?, end))
    })
    .await?;
    html(&SummaryFragment { summary, end })
}

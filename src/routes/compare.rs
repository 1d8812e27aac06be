//! `GET /compare?session=N&placeholder=P` (or `q=` for a search): for each seed, the images
//! that differ only in that placeholder, side by side, each rateable in place, with the
//! success rate of each value over the whole set at the top.
//! `POST /compare/images/{id}?<same query>` rates one of them: htmx gets the card back, a
//! plain form a 303 to the comparison.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::review_rate::rate_one;
use crate::db::ids::ImageId;
use crate::db::{compare_set, gallery, judgements, session_detail};
use crate::domain::compare_query::CompareQuery;
use crate::domain::rating_form::RatingForm;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::compare::{
    CompareCard, CompareRow, GROUPS_PER_PAGE, ValueView, card, compare, placeholders,
};
use crate::web::render::{blocking, html, is_htmx};
use crate::web::{AppState, Identity, Layout, assets};

#[derive(Template)]
#[template(path = "pages/compare.html")]
struct ComparePage {
    layout: Layout,
    scope: String,
    back_href: String,
    /// The set's own parameters, kept by the placeholder chooser.
    set_fields: Vec<(&'static str, String)>,
    placeholders: Vec<String>,
    placeholder: String,
    values: Vec<ValueView>,
    rows: Vec<CompareRow>,
    groups: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    capped: bool,
    card_env: CardEnv,
}

/// What every card's rating form needs besides the card.
struct CardEnv {
    categories: Vec<(String, String)>,
    can_rate: bool,
    csrf: String,
    /// The comparison's query, so a rating comes back to it.
    query: String,
}

#[derive(Template)]
#[template(path = "partials/compare_card.html")]
struct CardPart {
    card: CompareCard,
    card_env: CardEnv,
}

fn parse(req: &HttpRequest) -> Result<CompareQuery, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadInput(format!("the address is not understood: {e}")))?;
    CompareQuery::parse(&pairs).map_err(AppError::BadInput)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let mut query = parse(&req)?;
    let pool = state.pool.clone();
    let me = identity.user_id;
    let caller = identity.caller();
    let set_query = query.clone();
    let (scope, back_href, set, mine, categories) = blocking(move || {
        let conn = &mut *pool.get()?;
        let query = set_query;
        let (scope, back_href) = match (query.filter.session, &query.filter.search) {
            (Some(id), _) => {
                let session = session_detail::find(conn, id)?
                    .ok_or_else(|| AppError::NotFound(format!("there is no session {id}")))?;
                let name = session.display_name.filter(|n| !n.trim().is_empty());
                (name.unwrap_or(session.name), format!("/sessions/{id}"))
            }
            (None, Some(search)) => (
                format!("Search: {}", search.text),
                format!("/search?{}", query.filter.query_string()),
            ),
            (None, None) => ("".into(), "/sessions".into()),
        };
        let set = compare_set::load(conn, &query.filter, caller)?;
        let ids: Vec<ImageId> = set.items.iter().map(|item| item.id).collect();
        let mut mine = std::collections::HashMap::new();
        for chunk in ids.chunks(5_000) {
            mine.extend(judgements::mine_for(conn, chunk, me)?);
        }
        let categories = judgements::failure_categories(conn)?
            .into_iter()
            .map(|c| (c.name, c.label))
            .collect::<Vec<_>>();
        Ok((scope, back_href, set, mine, categories))
    })
    .await?;
    let available = placeholders(&set);
    if query.placeholder.is_none() {
        query.placeholder = available.first().cloned();
    }
    let placeholder = query.placeholder.clone().unwrap_or_default();
    let (values, all_rows) = if placeholder.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        compare(&set, &placeholder, &mine)
    };
    let page = query.filter.page.max(1) as usize;
    let groups = all_rows.len();
    let rows: Vec<CompareRow> = all_rows
        .into_iter()
        .skip((page - 1) * GROUPS_PER_PAGE)
        .take(GROUPS_PER_PAGE)
        .collect();
    let href = |p: usize| format!("/compare?{}", query.page_query(p as u32));
    let mut set_fields = query.filter.pairs();
    set_fields.retain(|(key, _)| *key != "page");
    let mut layout = Layout::new(&identity, &state, "review", format!("Compare · {scope}"));
    layout.stylesheets.push(assets::url("css/compare.css"));
    html(&ComparePage {
        layout,
        scope,
        back_href,
        set_fields,
        placeholders: available,
        placeholder,
        values,
        rows,
        groups,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page * GROUPS_PER_PAGE < groups).then(|| href(page + 1)),
        capped: set.capped,
        card_env: CardEnv {
            categories,
            can_rate: identity.role.can_review(),
            csrf: identity.csrf.clone().unwrap_or_default(),
            query: query.page_query(page as u32),
        },
    })
}

pub async fn rate(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    form: web::Form<RatingForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = ImageId(id.into_inner());
    let query = parse(&req)?;
    let action = form.parse()?;
    let back = format!("/compare?{}#image-{id}", query.query_string());
    let htmx = is_htmx(&req);
    let pool = state.pool.clone();
    let caller = identity.caller();
    let placeholder = query.placeholder.clone().unwrap_or_default();
    let (item, mine, value, categories) = blocking(move || {
        let conn = &mut *pool.get()?;
        let (_, mine) = rate_one(conn, id, caller, &action)?;
        let item = gallery::one(conn, caller, id)?
            .ok_or_else(|| AppError::NotFound(format!("there is no image {id}")))?;
        let value = compare_set::variations_of(conn, &[id])?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .find(|(p, _)| *p == placeholder)
            .map(|(_, v)| v)
            .unwrap_or_default();
        let categories = judgements::failure_categories(conn)?
            .into_iter()
            .map(|c| (c.name, c.label))
            .collect();
        Ok((item, mine, value, categories))
    })
    .await?;
    if !htmx {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, back))
            .finish());
    }
    html(&CardPart {
        card: card(&item, &value, Some(&mine)),
        card_env: CardEnv {
            categories,
            can_rate: true,
            csrf: identity.csrf.clone().unwrap_or_default(),
            query: query.query_string(),
        },
    })
}

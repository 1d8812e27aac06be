//! Stars and tags on one session (reviewer and up), and tag suggestions for the datalist.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::shared::reach;
use crate::db::ids::SessionId;
use crate::db::session_tags;
use crate::domain::role::Role;
use crate::domain::tag::Tag;
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

pub struct StarView {
    pub id: SessionId,
    pub starred: bool,
}

#[derive(Template)]
#[template(path = "partials/session_star.html")]
struct StarFragment {
    row: StarView,
    can_review: bool,
}

pub struct TagsView {
    pub id: SessionId,
    pub tags: Vec<String>,
}

#[derive(Template)]
#[template(path = "partials/session_tags.html")]
struct TagsFragment {
    row: TagsView,
    can_review: bool,
}

#[derive(Template)]
#[template(path = "partials/tag_options.html")]
struct TagOptions {
    tags: Vec<String>,
}

#[derive(Deserialize)]
pub struct TagForm {
    tag: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixQuery {
    #[serde(default)]
    prefix: String,
}

fn not_found(id: SessionId) -> AppError {
    AppError::NotFound(format!("there is no session {id}"))
}

pub async fn star(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = SessionId(path.into_inner());
    let role = identity.role;
    let pool = state.pool.clone();
    let starred = blocking(move || {
        let conn = &mut *pool.get()?;
        reach::session(conn, id, role, Access::Change)?;
        Ok(session_tags::toggle_star(conn, id)?)
    })
    .await?
    .ok_or_else(|| not_found(id))?;
    html(&StarFragment {
        row: StarView { id, starred },
        can_review: true,
    })
}

async fn change_tags(
    state: web::Data<AppState>,
    identity: Identity,
    id: i32,
    form: TagForm,
    add: bool,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = SessionId(id);
    let tag = Tag::parse(&form.tag).map_err(AppError::BadInput)?;
    let role = identity.role;
    let pool = state.pool.clone();
    let tags = blocking(move || {
        let mut conn = pool.get()?;
        reach::session(&mut conn, id, role, Access::Change)?;
        if add {
            session_tags::add(&mut conn, id, &tag)?;
        } else {
            session_tags::remove(&mut conn, id, &tag)?;
        }
        Ok(session_tags::of_session(&mut conn, id)?)
    })
    .await?;
    html(&TagsFragment {
        row: TagsView { id, tags },
        can_review: true,
    })
}

pub async fn add_tag(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    form: web::Form<TagForm>,
) -> Result<HttpResponse, AppError> {
    change_tags(state, identity, path.into_inner(), form.into_inner(), true).await
}

pub async fn remove_tag(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    form: web::Form<TagForm>,
) -> Result<HttpResponse, AppError> {
    change_tags(state, identity, path.into_inner(), form.into_inner(), false).await
}

/// `<option>`s for the tag datalist: tags in use that start with what was typed.
pub async fn suggest(
    state: web::Data<AppState>,
    _identity: Identity,
    query: web::Query<PrefixQuery>,
) -> Result<HttpResponse, AppError> {
    if query.prefix.chars().count() > crate::domain::tag::MAX_TAG_CHARS {
        return Err(AppError::BadInput(
            "prefix is too long: at most 40 characters".into(),
        ));
    }
    let prefix = query.into_inner().prefix;
    let pool = state.pool.clone();
    let tags = blocking(move || Ok(session_tags::suggest(&mut *pool.get()?, &prefix)?)).await?;
    html(&TagOptions { tags })
}

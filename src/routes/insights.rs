//! The recommendations page `/insights` and its two downloads: the values to keep and drop
//! (`/insights/values.json`) and the winning prompts (`/insights/prompts.txt`), the same files
//! `sdreview recommend --export-values / --export-prompts` writes.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::analytics::recommend::{Recommendations, Scope, ValuesFile, load, names_nothing};
use crate::db::stats;
use crate::domain::stats_request::FieldError;
use crate::error::AppError;
use crate::insights::export::{DEFAULT_PROMPTS, winning_prompts};
use crate::views::insights::InsightsView;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/insights.html")]
struct InsightsPage {
    layout: Layout,
    error: Option<String>,
    v: Option<InsightsView>,
}

/// The recommendations for the query's scope, or what was wrong with the query.
async fn recommendations(
    state: &AppState,
    identity: &Identity,
    pairs: &[(String, String)],
) -> Result<Result<(Scope, Recommendations), FieldError>, AppError> {
    let scope = match Scope::parse(pairs) {
        Ok(scope) => scope,
        Err(refused) => return Ok(Err(refused)),
    };
    let (pool, cache, caller) = (state.pool.clone(), state.stats.clone(), identity.caller());
    blocking(move || {
        let found = load(&mut *pool.get()?, &cache, &scope, caller)?;
        Ok::<_, AppError>(found.map(|r| (scope, r)))
    })
    .await
}

pub async fn show(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let layout = Layout::new(&identity, &state, "insights", "Recommendations");
    match recommendations(&state, &identity, &query).await? {
        Ok((scope, found)) => {
            let pool = state.pool.clone();
            let (models, templates) = blocking(move || {
                let conn = &mut *pool.get()?;
                Ok::<_, AppError>((stats::models(conn)?, stats::templates(conn)?))
            })
            .await?;
            html(&InsightsPage {
                layout,
                error: None,
                v: Some(InsightsView::new(&scope, &found, models, templates)),
            })
        }
        Err(refused) => {
            let unknown = names_nothing(&refused);
            let mut response = html(&InsightsPage {
                layout,
                error: Some(refused.message),
                v: None,
            })?;
            *response.status_mut() = if unknown {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            };
            Ok(response)
        }
    }
}

fn file_name(scope: &Scope, ending: &str) -> String {
    let name: String = [scope.model.as_deref(), scope.template.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        format!("recommended-{ending}")
    } else {
        format!("recommended-{name}-{ending}")
    }
}

fn download(content_type: &str, name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

fn refused_text(refused: FieldError) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(refused.message)
}

pub async fn values(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    Ok(match recommendations(&state, &identity, &query).await? {
        Ok((scope, found)) => download(
            "application/json",
            &file_name(&scope, "values.json"),
            format!(
                "{}\n",
                serde_json::to_string_pretty(&ValuesFile::new(&found))?
            ),
        ),
        Err(refused) => refused_text(refused),
    })
}

pub async fn prompts(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (scope, found) = match recommendations(&state, &identity, &query).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused_text(refused)),
    };
    let file = ValuesFile::new(&found);
    let pool = state.pool.clone();
    let lines = blocking(move || {
        Ok::<_, AppError>(winning_prompts(&mut *pool.get()?, &file, DEFAULT_PROMPTS)?)
    })
    .await?;
    let mut body = lines.join("\n");
    if !body.is_empty() {
        body.push('\n');
    }
    Ok(download(
        "text/plain; charset=utf-8",
        &file_name(&scope, "prompts.txt"),
        body,
    ))
}

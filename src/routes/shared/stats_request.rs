//! What the statistics page and `GET /api/analytics/stats` share: parse the request, check its
//! values against the library, get the report from the cache (or compute it), and answer a
//! download of the figures (`format=json`, or `format=csv&table=NAME`).

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;

use crate::analytics::Report;
use crate::analytics::check::unknown_value;
use crate::analytics::tables;
use crate::domain::role::Role;
use crate::domain::stats_request::{FieldError, StatsRequest};
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub enum Outcome {
    Figures(Box<StatsRequest>, Arc<Report>),
    /// The request names a bad or unknown value: the status to answer and what to say.
    Refused(StatusCode, FieldError),
}

/// The figures as a file rather than the page (or the API's usual JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// The whole report.
    Json,
    /// One of `tables::NAMES`.
    Csv(&'static str),
}

/// Query pairs, as a query string holds them.
pub type Pairs = Vec<(String, String)>;

/// `format` and `table` taken out of the query: what to answer with, and the rest, which are
/// the figures' own parameters. `format=html` (or none) is the page, or the API's JSON;
/// `table=NAME` (with `format=csv`, or alone) is that table as CSV.
pub fn download(pairs: &[(String, String)]) -> Result<(Option<Download>, Pairs), FieldError> {
    let (mut format, mut table) = (None, None);
    let mut rest = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match key.as_str() {
            "format" => format = Some(value.trim().to_ascii_lowercase()),
            "table" => table = Some(value.trim().to_owned()),
            _ => rest.push((key.clone(), value.clone())),
        }
    }
    let tables = || -> Vec<String> { tables::NAMES.iter().map(|n| (*n).to_owned()).collect() };
    let wanted = match (format.as_deref(), table) {
        (None | Some("") | Some("html"), None) => None,
        (Some("json"), None) => Some(Download::Json),
        // A table alone is that table's CSV: the one form a table comes in.
        (None | Some("") | Some("csv"), Some(name)) => {
            match tables::NAMES.iter().find(|n| **n == name) {
                Some(name) => Some(Download::Csv(name)),
                None => {
                    return Err(FieldError {
                        valid: tables(),
                        ..FieldError::new(
                            "table",
                            format!(
                                "there is no table `{name}`; the tables are: {}",
                                tables::NAMES.join(", ")
                            ),
                        )
                    });
                }
            }
        }
        (Some("csv"), None) => {
            return Err(FieldError {
                valid: tables(),
                ..FieldError::new(
                    "table",
                    format!(
                        "a CSV holds one table: add `table=` with one of {}",
                        tables::NAMES.join(", ")
                    ),
                )
            });
        }
        (_, Some(_)) => {
            return Err(FieldError::new(
                "table",
                "`table` is a CSV download (`format=csv`, or no format); the whole report is `format=json`",
            ));
        }
        (Some(other), None) => {
            return Err(FieldError {
                valid: vec!["html".into(), "json".into(), "csv".into()],
                ..FieldError::new(
                    "format",
                    format!("`format` is json or csv (with `table=`), not `{other}`"),
                )
            });
        }
    };
    Ok((wanted, rest))
}

/// The table `name` of `report` as a CSV download.
pub fn csv_response(report: &Report, name: &str) -> Result<HttpResponse, AppError> {
    let table = tables::table(report, name)
        .ok_or_else(|| AppError::Task(format!("no statistics table `{name}`")))?;
    let body = tables::csv(&table)
        .map_err(|e| AppError::Task(format!("the table could not be written: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"sdreview-stats-{name}.csv\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

pub async fn figures(
    state: &web::Data<AppState>,
    identity: &Identity,
    pairs: &[(String, String)],
) -> Result<Outcome, AppError> {
    let request = match StatsRequest::parse(pairs) {
        Ok(request) => request,
        Err(refused) => return Ok(Outcome::Refused(refused_status(false), refused)),
    };
    if request.filter.deleted {
        // Deleted images are the trash: only admins see them, in figures as in the gallery.
        identity.require(Role::Admin)?;
    }
    let (pool, cache, caller) = (state.pool.clone(), state.stats.clone(), identity.caller());
    blocking(move || {
        let mut conn = pool.get()?;
        if let Some(refused) = unknown_value(&mut conn, &request)? {
            return Ok(Outcome::Refused(refused_status(true), refused));
        }
        let report = cache.report(&mut conn, &request, caller)?;
        Ok(Outcome::Figures(Box::new(request), report))
    })
    .await
}

/// Bad parameters are a 400 naming the parameter; a model or category that does not exist, a 422.
pub fn refused_status(unknown: bool) -> StatusCode {
    if unknown {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::BAD_REQUEST
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn a_download_is_a_format_and_a_table_and_the_rest_are_the_figures_parameters() {
        let (wanted, rest) = download(&pairs("model=x&format=csv&table=by_model")).unwrap();
        assert_eq!(wanted, Some(Download::Csv("by_model")));
        assert_eq!(rest, pairs("model=x"));
        assert_eq!(
            download(&pairs("format=json")).unwrap().0,
            Some(Download::Json)
        );
        assert_eq!(download(&pairs("")).unwrap().0, None);
        let missing = download(&pairs("format=csv")).unwrap_err();
        assert_eq!(missing.field, "table");
        assert!(missing.valid.contains(&"tested_pairs".to_owned()));
        assert_eq!(
            download(&pairs("format=csv&table=x")).unwrap_err().field,
            "table"
        );
        assert_eq!(download(&pairs("format=xml")).unwrap_err().field, "format");
        // A table alone is its CSV; beside the whole report's format it is refused.
        assert_eq!(
            download(&pairs("table=by_model")).unwrap().0,
            Some(Download::Csv("by_model"))
        );
        assert_eq!(
            download(&pairs("format=json&table=by_model"))
                .unwrap_err()
                .field,
            "table"
        );
    }
}

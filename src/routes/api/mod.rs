//! The JSON API under `/api/`, for the generator, scripts and ML pipelines. Bearer tokens (or
//! a browser's sign-in) identify the caller, roles apply exactly as on the pages, and errors
//! are JSON. Every route is in [`ROUTES`], and the OpenAPI document (`/api/openapi.json`) is
//! generated from the handlers' annotations; a test checks that the two agree.

mod body;
pub mod error;
mod export;
mod images;
mod import;
mod insights;
mod openapi;
mod params;
mod predictions;
mod session_list;
mod sessions;
mod similar;
pub mod stats;
mod trash;

use actix_web::middleware::ErrorHandlers;
use actix_web::{HttpResponse, web};

pub use openapi::ApiDoc;

use crate::domain::query_params::QueryParam;

/// An HTTP method, as the route table and the OpenAPI document name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

pub struct ApiRoute {
    pub method: Method,
    /// The full path, `{name}` for a path parameter (the same syntax in actix and OpenAPI).
    pub path: &'static str,
    /// The query parameters the route takes, from the lists its parser refuses others by: the
    /// OpenAPI document's query parameters are these.
    pub query: fn() -> Vec<QueryParam>,
    route: fn() -> actix_web::Route,
}

/// For the routes that take no query parameter ([`params::NoQuery`]).
fn no_query() -> Vec<QueryParam> {
    Vec::new()
}

macro_rules! routes {
    ($($method:ident $path:literal $([$query:path])? => $handler:path),+ $(,)?) => {
        /// Every API route: registered from here, and checked against the OpenAPI document.
        pub const ROUTES: &[ApiRoute] = &[$(ApiRoute {
            method: Method::$method,
            path: $path,
            query: routes!(@query $($query)?),
            route: || routes!(@route $method).to($handler),
        }),+];
    };
    (@query) => { no_query };
    (@query $query:path) => { $query };
    (@route Get) => { web::get() };
    (@route Post) => { web::post() };
    (@route Put) => { web::put() };
    (@route Patch) => { web::patch() };
    (@route Delete) => { web::delete() };
}

routes! {
    Get "/api/openapi.json" => openapi::document,
    Get "/api/sessions" [session_list::query] => session_list::list,
    Get "/api/sessions/{id}/images" [sessions::image_query] => sessions::images,
    Patch "/api/sessions/{id}/metadata" => sessions::metadata,
    Post "/api/sessions/{id}/flags" => sessions::flags,
    Delete "/api/sessions/{id}" => trash::delete_session,
    Post "/api/sessions/{id}/restore" => trash::restore_session,
    Get "/api/images" [params::image_list_params] => images::list,
    Get "/api/images/{id}" => images::show,
    Get "/api/images/{id}/similar" [similar::query] => similar::near_duplicates,
    Get "/api/images/{id}/like-this" [insights::like_this_query] => insights::like_this,
    Patch "/api/images/{id}/metadata" => images::metadata,
    Post "/api/images/{id}/rating" => images::rate,
    Put "/api/images/{id}/predictions" => predictions::replace,
    Patch "/api/images/{id}/predictions" => predictions::merge,
    Delete "/api/images/{id}" => trash::delete_image,
    Post "/api/images/{id}/restore" => trash::restore_image,
    Post "/api/predictions" => predictions::bulk,
    Get "/api/export/images" [export::query] => export::images,
    Get "/api/analytics/stats" [stats::query] => stats::stats,
    Get "/api/insights/recommendations" [insights::recommendations_query] => insights::recommendations,
    Post "/api/sessions/import" => import::start,
    Get "/api/sessions/import" => import::progress,
}

/// The `/api` scope: every route of [`ROUTES`], JSON errors, JSON 404s.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut scope = web::scope("/api")
        .wrap(ErrorHandlers::new().default_handler(error::json_errors))
        .default_service(web::to(not_found));
    // One resource per path with all its methods, so a wrong method is a 405, not a 404.
    let mut paths: Vec<&str> = ROUTES.iter().map(|r| r.path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let relative = path.strip_prefix("/api").unwrap_or(path);
        let mut resource = web::resource(relative).default_service(web::to(wrong_method));
        for route in ROUTES.iter().filter(|r| r.path == path) {
            resource = resource.route((route.route)());
        }
        scope = scope.service(resource);
    }
    cfg.service(scope);
}

async fn wrong_method() -> HttpResponse {
    actix_web::ResponseError::error_response(&error::ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "this route does not take that method: see /api/openapi.json",
        None,
    ))
}

async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&error::ApiError::not_found(
        "there is no API route at this address: see /api/openapi.json",
    ))
}

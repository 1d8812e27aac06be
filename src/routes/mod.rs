//! The one route table. Handlers are thin: extract, parse into domain types, call `db`,
//! render.

mod api;
mod auth;
mod files;
mod form_ids;
mod gallery_bulk;
mod gallery_parts;
mod image_page;
mod rating_panel;
mod ratings;
mod search;
mod session_bulk;
mod session_edit;
mod session_marks;
mod session_page;
mod session_views;
mod sessions;
mod stats;
mod stats_request;
mod trash;

use actix_web::{HttpResponse, web};

use crate::web::assets;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/login", web::get().to(auth::show))
        .route("/login", web::post().to(auth::submit))
        .route("/logout", web::post().to(auth::sign_out))
        // Fixed paths before `/sessions/{id}`, which would otherwise take them.
        .route("/sessions", web::get().to(sessions::index))
        .route("/sessions/tags", web::get().to(session_marks::suggest))
        .route("/sessions/bulk", web::post().to(session_bulk::bulk))
        .route("/sessions/{id}/star", web::post().to(session_marks::star))
        .route(
            "/sessions/{id}/tags",
            web::post().to(session_marks::add_tag),
        )
        .route(
            "/sessions/{id}/tags/remove",
            web::post().to(session_marks::remove_tag),
        )
        .route("/trash", web::get().to(trash::index))
        .route("/trash/restore", web::post().to(trash::restore_selected))
        .route(
            "/trash/sessions/{id}/restore",
            web::post().to(trash::restore_session),
        )
        .route(
            "/trash/images/{id}/restore",
            web::post().to(trash::restore_image),
        )
        .route("/images/{id}", web::get().to(image_page::show))
        .route("/images/{id}/notes", web::post().to(image_page::save_notes))
        .route("/images/{id}/rating", web::post().to(ratings::rate))
        .route("/images/{id}/thumb", web::get().to(files::thumbnail))
        .route("/images/{id}/original", web::get().to(files::original))
        // One session and its gallery (after any fixed `/sessions/...` path).
        .route("/sessions/{id}", web::get().to(session_page::show))
        .route("/sessions/{id}/tiles", web::get().to(session_page::tiles))
        .route(
            "/sessions/{id}/tiles/{image}",
            web::get().to(session_page::tile),
        )
        .route("/sessions/{id}/name", web::post().to(session_edit::name))
        .route("/sessions/{id}/notes", web::post().to(session_edit::notes))
        .route("/sessions/{id}/flags", web::post().to(session_edit::flags))
        .route(
            "/sessions/{id}/images/bulk",
            web::post().to(gallery_bulk::session_bulk),
        )
        .route("/stats", web::get().to(stats::show))
        .route("/api/analytics/stats", web::get().to(api::stats::stats))
        .route("/search", web::get().to(search::show))
        .route("/search/tiles", web::get().to(search::tiles))
        .route("/search/bulk", web::post().to(gallery_bulk::search_bulk))
        .route("/assets/{hash}/{path:.*}", web::get().to(assets::serve))
        .default_service(web::to(not_found));
}

async fn home() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/sessions"))
        .finish()
}

async fn not_found() -> HttpResponse {
    crate::web::error_response::page(
        actix_web::http::StatusCode::NOT_FOUND,
        "There is no page at this address.",
    )
}

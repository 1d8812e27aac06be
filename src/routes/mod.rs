//! The one route table. Handlers are thin: extract, parse into domain types, call `db`,
//! render.

mod account;
mod admin;
mod admin_backups;
mod admin_blind;
mod admin_similar;
mod admin_users;
pub mod api;
mod auth;
mod compare;
mod files;
mod gallery_bulk;
mod gallery_news;
mod gallery_rating;
mod image_page;
mod insights;
mod near_duplicates;
mod ratings;
mod review;
mod review_keep;
mod review_queue;
mod review_rate;
mod search;
mod session_bulk;
mod session_edit;
mod session_marks;
mod session_news;
mod session_page;
mod sessions;
mod shared;
mod sign_in_link;
mod stats;
mod trash;

use actix_web::{HttpResponse, web};

use crate::web::assets;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/login", web::get().to(auth::show))
        .route("/login", web::post().to(auth::submit))
        .route("/logout", web::post().to(auth::sign_out))
        .route("/account", web::get().to(account::show))
        .route("/account/link", web::post().to(account::make_link))
        .route(
            "/account/links/revoke",
            web::post().to(account::revoke_link),
        )
        .route(
            "/account/devices/sign-out",
            web::post().to(account::sign_out_device),
        )
        .route("/account/password", web::post().to(account::set_password))
        .route("/link/{secret}", web::get().to(sign_in_link::show))
        .route("/link/{secret}", web::post().to(sign_in_link::redeem))
        // Fixed paths before `/sessions/{id}`, which would otherwise take them.
        .route("/sessions", web::get().to(sessions::index))
        .route("/sessions/tags", web::get().to(session_marks::suggest))
        .route("/sessions/news", web::get().to(session_news::news))
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
        .route("/admin", web::get().to(admin::show))
        .route("/admin/rescan", web::post().to(admin::rescan))
        .route(
            "/admin/near-duplicates",
            web::post().to(admin_similar::choose_threshold),
        )
        .route("/admin/blind-review", web::post().to(admin_blind::choose))
        .route("/admin/progress", web::get().to(admin::progress))
        .route("/admin/backups", web::post().to(admin_backups::make))
        .route(
            "/admin/backups/{name}",
            web::get().to(admin_backups::download),
        )
        .route("/admin/users", web::post().to(admin_users::add))
        .route(
            "/admin/users/{id}/role",
            web::post().to(admin_users::set_role),
        )
        .route(
            "/admin/users/{id}/access",
            web::post().to(admin_users::access),
        )
        .route(
            "/admin/users/{id}/tokens",
            web::post().to(admin_users::create_token),
        )
        .route(
            "/admin/users/{id}/link",
            web::post().to(admin_users::make_link),
        )
        .route(
            "/admin/links/revoke",
            web::post().to(admin_users::revoke_link),
        )
        .route(
            "/admin/tokens/revoke",
            web::post().to(admin_users::revoke_token),
        )
        .route(
            "/admin/devices/sign-out",
            web::post().to(admin_users::sign_out_device),
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
        .route(
            "/images/{id}/like-this",
            web::get().to(image_page::like_this_box),
        )
        .route(
            "/images/{id}/not-duplicates",
            web::post().to(near_duplicates::set_apart),
        )
        .route("/images/{id}/rating", web::post().to(ratings::rate))
        .route("/images/{id}/thumb", web::get().to(files::thumbnail))
        .route("/images/{id}/screen", web::get().to(files::screen))
        .route("/images/{id}/original", web::get().to(files::original))
        // One session and its gallery (after any fixed `/sessions/...` path).
        .route("/sessions/{id}", web::get().to(session_page::show))
        .route("/sessions/{id}/tiles", web::get().to(session_page::tiles))
        .route("/sessions/{id}/news", web::get().to(gallery_news::news))
        .route(
            "/sessions/{id}/tiles/{image}",
            web::get().to(session_page::tile),
        )
        .route(
            "/sessions/{id}/tiles/{image}",
            web::post().to(gallery_rating::rate),
        )
        .route("/sessions/{id}/name", web::post().to(session_edit::name))
        .route("/sessions/{id}/notes", web::post().to(session_edit::notes))
        .route("/sessions/{id}/flags", web::post().to(session_edit::flags))
        .route(
            "/sessions/{id}/images/bulk",
            web::post().to(gallery_bulk::session_bulk),
        )
        .route("/compare", web::get().to(compare::show))
        .route("/compare/images/{id}", web::post().to(compare::rate))
        .route("/review", web::get().to(review::show))
        .route("/review/queue", web::get().to(review_queue::next))
        .route("/review/summary", web::get().to(review::summary))
        .route("/review/images/{id}", web::post().to(review_rate::rate))
        .route(
            "/review/images/{id}/keep-best",
            web::post().to(review_keep::keep),
        )
        .route("/stats", web::get().to(stats::show))
        .route("/insights", web::get().to(insights::show))
        .route("/insights/values.json", web::get().to(insights::values))
        .route("/insights/prompts.txt", web::get().to(insights::prompts))
        .route("/search", web::get().to(search::show))
        .route("/search/tiles", web::get().to(search::tiles))
        .route("/search/bulk", web::post().to(gallery_bulk::search_bulk))
        .route("/assets/{hash}/{path:.*}", web::get().to(assets::serve))
        .route(
            "/manifest.webmanifest",
            web::get().to(crate::web::app_manifest::serve),
        )
        .configure(api::configure)
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

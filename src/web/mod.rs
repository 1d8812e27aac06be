//! HTTP plumbing shared by every route: state, sign-in identity, CSRF, assets, headers, errors.

pub mod admin_notes;
pub mod app_manifest;
pub mod assets;
pub mod attempt_limit;
pub mod auth_error;
pub mod bearer;
pub mod bearer_limit;
pub mod error_response;
pub mod export_slots;
pub mod first_admin;
pub mod form_csrf;
pub mod gzip;
pub mod headers;
pub mod href;
pub mod htmx;
pub mod identify;
pub mod identity;
pub mod identity_cache;
pub mod layout;
pub mod picture_cache;
pub mod proxy;
pub mod render;
pub mod sign_in_limit;
pub mod small_plain;
pub mod state;
pub mod tls;

pub use identity::Identity;
pub use layout::Layout;
pub use state::AppState;
pub mod search_captions;
pub mod stats_body;

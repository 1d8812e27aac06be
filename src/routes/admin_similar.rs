//! `POST /admin/near-duplicates`: the owner chooses how similar two images must be to count as
//! near-duplicates (a plain form, boosted by htmx).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admin::redirect_with;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::similar::threshold;
use crate::views::admin::Flash;
use crate::web::admin_notes::Note;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

#[derive(Deserialize)]
pub struct ThresholdForm {
    distance: u32,
}

pub async fn choose_threshold(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<ThresholdForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let distance = form.into_inner().distance;
    let pool = state.pool.clone();
    blocking(move || threshold::choose(&mut *pool.get()?, distance)).await?;
    state.similar.regroup_soon();
    let message = match threshold::preset_name(distance) {
        Some(name) => format!(
            "Near-duplicates are now images at most {distance} bits apart ({name} similarity)."
        ),
        None => format!("Near-duplicates are now images at most {distance} bits apart."),
    };
    let flash = Flash {
        message,
        token: None,
        link: None,
    };
    Ok(redirect_with(&req, &state, &identity, Note::Done(flash)))
}

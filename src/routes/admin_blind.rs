//! `POST /admin/blind-review`: the owner turns the household's blind review on or off (a
//! plain form, boosted by htmx, answered with a redirect to the admin page).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admin::redirect_with;
use crate::db::blind_review;
use crate::domain::blind_rule::BlindMode;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::admin::Flash;
use crate::web::admin_notes::Note;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

#[derive(Deserialize)]
pub struct BlindForm {
    blind: String,
}

pub async fn choose(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<BlindForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let mode = BlindMode::parse(&form.into_inner().blind).map_err(AppError::BadInput)?;
    let pool = state.pool.clone();
    blocking(move || blind_review::choose(&mut *pool.get()?, mode)).await?;
    let message = match mode {
        BlindMode::On => {
            "Blind review is on: nobody sees another person's verdict on an image before giving their own."
        }
        BlindMode::Off => "Blind review is off: everyone sees everyone's verdicts at once.",
    };
    let flash = Flash {
        message: message.to_owned(),
        token: None,
        link: None,
    };
    Ok(redirect_with(&req, &state, &identity, Note::Done(flash)))
}

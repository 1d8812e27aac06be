//! Marking a near-duplicate "not a duplicate" from the image page (a plain form: it works
//! without JavaScript and comes back to the page).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::db::ids::ImageId;
use crate::db::not_duplicates;
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

#[derive(Deserialize)]
pub struct ApartForm {
    other: i32,
    /// "1" marks the pair; "0" takes the mark back.
    apart: u8,
}

pub async fn set_apart(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    form: web::Form<ApartForm>,
) -> Result<HttpResponse, AppError> {
    let id = ImageId(id.into_inner());
    let form = form.into_inner();
    let other = ImageId(form.other);
    let apart = match form.apart {
        0 => false,
        1 => true,
        _ => {
            return Err(AppError::BadInput(
                "`apart` is 1 (not duplicates) or 0 (take the mark back)".to_owned(),
            ));
        }
    };
    let caller = identity.caller();
    let pool = state.pool.clone();
    let changed =
        blocking(move || not_duplicates::set_apart(&mut *pool.get()?, caller, id, other, apart))
            .await?;
    if changed {
        state.similar.regroup_soon();
    }
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", format!("/images/{id}#near-duplicates")))
        .finish())
}

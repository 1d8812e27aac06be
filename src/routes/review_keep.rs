//! `POST /review/images/{id}/keep-best?<queue>`: "keep the best, trash the rest" while going
//! through near-duplicate groups. A plain form (it works without JavaScript): the other
//! images of the group go to the trash (admins only: the trash rule) and the queue goes on
//! after the image kept.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::db::ids::ImageId;
use crate::db::keep_best::keep_best;
use crate::domain::review_query::ReviewQuery;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub async fn keep(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let id = ImageId(id.into_inner());
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadInput(format!("the address is not understood: {e}")))?;
    let query = ReviewQuery::parse(&pairs).map_err(AppError::BadInput)?;
    let caller = identity.caller();
    let pool = state.pool.clone();
    blocking(move || keep_best(&mut *pool.get()?, caller, id)).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/review?{}", query.after(id))))
        .finish())
}

//! A form posted by a signed-in browser, for handlers that want both at once. The CSRF token
//! is checked by `Identity` like any other request's: the `X-CSRF-Token` header (htmx), or for
//! a page without JavaScript the form's `csrf_token` field, read by `web::form_csrf`.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::web::Identity;

pub struct SignedForm<T> {
    pub identity: Identity,
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for SignedForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<SignedForm<T>, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let identity = Identity::from_request(req, payload);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let identity = identity.await?;
            let body = body.await?;
            let form = serde_urlencoded::from_bytes::<T>(&body)
                .map_err(|e| AppError::BadInput(format!("the form is not acceptable: {e}")))?;
            Ok(SignedForm { identity, form })
        })
    }
}

//! A form posted by a signed-in browser that works without JavaScript: the page's CSRF token
//! travels in a hidden `csrf` field (htmx also sends it as a header; either is accepted).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::web::Identity;
use crate::web::identity::{AuthError, CSRF_HEADER, check_csrf, identify_unchecked};

pub struct SignedForm<T> {
    pub identity: Identity,
    pub form: T,
}

#[derive(Deserialize)]
struct CsrfField {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for SignedForm<T> {
    type Error = AuthError;
    type Future = Pin<Box<dyn Future<Output = Result<SignedForm<T>, AuthError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let identity = identify_unchecked(&req).await?;
            let body = body
                .await
                .map_err(|e| AppError::BadInput(format!("the form could not be read: {e}")))?;
            let header = req
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let field = serde_urlencoded::from_bytes::<CsrfField>(&body)
                .ok()
                .and_then(|f| f.csrf);
            check_csrf(&identity, header.or(field).as_deref().unwrap_or_default())?;
            let form = serde_urlencoded::from_bytes::<T>(&body)
                .map_err(|e| AppError::BadInput(format!("the form is not acceptable: {e}")))?;
            Ok(SignedForm { identity, form })
        })
    }
}

//! Running API work on a blocking thread, and reading JSON bodies with errors that name the
//! field at fault.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::error::ApiError;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::web::Identity;

/// Runs database work off the async workers.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(work)
        .await
        .map_err(|e| ApiError::from(AppError::Task(e.to_string())))?
}

/// The same role rule as the pages, answered as a 403 in JSON.
pub fn require(identity: &Identity, role: Role) -> Result<(), ApiError> {
    identity.require(role).map_err(ApiError::from)
}

/// The name between the first pair of backticks of a serde message (`unknown field `x``).
fn named_field(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    Some(&message[start..end])
}

/// A JSON body; a syntax error or a wrong, missing or unknown field is a 400 that names it.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad(
            "body",
            "send a JSON object as the request body",
        ));
    }
    serde_json::from_slice(body).map_err(|error| {
        let message = error.to_string();
        let field = if error.is_data() {
            Some(&message)
                .filter(|m| m.starts_with("unknown field") || m.starts_with("missing field"))
                .and_then(|m| named_field(m))
                .map(str::to_owned)
                .or_else(|| field_at_fault::<T>(body))
                .unwrap_or_else(|| "body".to_owned())
        } else {
            "body".to_owned()
        };
        ApiError::bad(
            &field,
            format!("the JSON body is not acceptable: {message}"),
        )
    })
}

/// serde names a missing or unknown field but not one of the wrong type: try each field of
/// the object alone, and the one that fails for another reason than a missing field is it.
fn field_at_fault<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let serde_json::Value::Object(object) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    object.into_iter().find_map(|(key, value)| {
        let alone = serde_json::Value::Object([(key.clone(), value)].into_iter().collect());
        match serde_json::from_value::<T>(alone) {
            Err(e) if !e.to_string().starts_with("missing field") => Some(key),
            _ => None,
        }
    })
}

/// For `Option<Option<T>>` fields: absent leaves a value alone, `null` clears it.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

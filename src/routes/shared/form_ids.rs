//! Forms with a repeated field (`ids=1&ids=2`), which `web::Form` cannot read into a list.

use crate::error::AppError;

pub const MAX_IDS: usize = 1000;

pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Result<Fields, AppError> {
        serde_urlencoded::from_bytes(body)
            .map(Fields)
            .map_err(|e| AppError::BadInput(format!("the form is not acceptable: {e}")))
    }

    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name` as a row id; a bad one is refused, not skipped.
    pub fn ids(&self, name: &str) -> Result<Vec<i32>, AppError> {
        let ids = self
            .0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| {
                v.trim().parse::<i32>().map_err(|_| {
                    AppError::BadInput(format!("`{v}` is not a valid {name} value: use row ids"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if ids.len() > MAX_IDS {
            return Err(AppError::BadInput(format!(
                "at most {MAX_IDS} at a time, please"
            )));
        }
        Ok(ids)
    }
}

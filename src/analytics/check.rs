//! Values that parse but name nothing in this library: a model or template no session used, a failure
//! category that does not exist. Asked for statistics, they would quietly give empty figures
//! ("nothing fails"); they are refused instead, with the values that exist.

use diesel::SqliteConnection;

use crate::db::{judgements, stats};
use crate::domain::gallery_filter::NO_VALUE;
use crate::domain::stats_request::{FieldError, StatsRequest};
use crate::error::AppResult;

pub fn unknown_value(
    conn: &mut SqliteConnection,
    request: &StatsRequest,
) -> AppResult<Option<FieldError>> {
    if let Some(model) = request.knobs.model.as_deref().filter(|m| *m != NO_VALUE) {
        let models = stats::models(conn)?;
        if !models.iter().any(|m| m == model) {
            return Ok(Some(FieldError {
                field: "model".into(),
                message: format!(
                    "no session used the model `{model}`; the models are: {}",
                    models.join(", ")
                ),
                valid: models,
            }));
        }
    }
    let template = request.filter.sessions.template.as_deref();
    if let Some(template) = template.filter(|t| *t != NO_VALUE) {
        let templates = stats::templates(conn)?;
        if !templates.iter().any(|t| t == template) {
            return Ok(Some(FieldError {
                field: "template".into(),
                message: format!(
                    "no session used the prompt template `{template}`; the templates are: {}",
                    templates.join(", ")
                ),
                valid: templates,
            }));
        }
    }
    if let Some(category) = &request.filter.category {
        let categories: Vec<String> = judgements::failure_categories(conn)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        if !categories.contains(category) {
            return Ok(Some(FieldError {
                field: "category".into(),
                message: format!(
                    "`{category}` is not a failure category; the categories are: {}",
                    categories.join(", ")
                ),
                valid: categories,
            }));
        }
    }
    Ok(None)
}

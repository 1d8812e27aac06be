//! `ml_predictions` written back by classifiers: a JSON object per image, and the JSONL lines
//! that carry many at once (`{"image_id": 42, "predictions": {...}}`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::db::ids::ImageId;

/// One image's predictions are at most this large once serialised.
pub const MAX_BYTES: usize = 64 * 1024;

/// Checks a body meant as one image's predictions: a JSON object of bounded size.
pub fn check(value: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err("predictions are a JSON object, e.g. {\"malformed\": 0.93}".into());
    };
    let size = Value::Object(map.clone()).to_string().len();
    if size > MAX_BYTES {
        return Err(format!(
            "predictions are limited to {MAX_BYTES} bytes per image; these are {size}"
        ));
    }
    Ok(map)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    image_id: i32,
    predictions: Value,
}

/// One image's predictions.
pub type Prediction = (ImageId, Map<String, Value>);

/// One line of a JSONL upload; blank lines are `None`.
pub fn parse_line(line: &str) -> Result<Option<Prediction>, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let parsed: Line = serde_json::from_str(line).map_err(|e| {
        format!("not a line of the form {{\"image_id\": 42, \"predictions\": {{...}}}}: {e}")
    })?;
    Ok(Some((ImageId(parsed.image_id), check(parsed.predictions)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_holds_an_image_and_an_object() {
        let (id, map) = parse_line(r#"{"image_id": 7, "predictions": {"noise": 0.9}}"#)
            .unwrap()
            .unwrap();
        assert_eq!((id, map["noise"].as_f64()), (ImageId(7), Some(0.9)));
        assert_eq!(parse_line("   ").unwrap(), None);
        assert!(
            parse_line(r#"{"image_id": 7, "predictions": [1]}"#)
                .unwrap_err()
                .contains("JSON object")
        );
        assert!(
            parse_line(r#"{"image": 7}"#)
                .unwrap_err()
                .contains("image_id")
        );
        let huge = format!(
            r#"{{"image_id": 1, "predictions": {{"x": "{}"}}}}"#,
            "a".repeat(MAX_BYTES)
        );
        assert!(parse_line(&huge).unwrap_err().contains("limited"));
    }
}

//! `ml_predictions` written back by classifiers: a JSON object per image, and the JSONL lines
//! that carry many at once (`{"image_id": 42, "predictions": {...}}`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::domain::ids::ImageId;

/// One image's predictions are at most this large once serialised.
pub const MAX_BYTES: usize = 64 * 1024;

/// A line of a JSONL upload is at most this long: room for the largest predictions, the
/// image id around them and some spacing. Reading stops at a longer one.
pub const MAX_LINE: usize = 2 * MAX_BYTES;

/// Checks a body meant as one image's predictions: a JSON object of bounded size.
pub fn check(value: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err("predictions are a JSON object, e.g. {\"malformed\": 0.93}".into());
    };
    let size = serde_json::to_string(&map).map_or(usize::MAX, |text| text.len());
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
pub fn parse_line(line: &[u8]) -> Result<Option<Prediction>, String> {
    let line = std::str::from_utf8(line)
        .map_err(|_| "the line is not UTF-8 text: save the file as UTF-8".to_owned())?
        .trim();
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
        let (id, map) = parse_line(br#"{"image_id": 7, "predictions": {"noise": 0.9}}"#)
            .unwrap()
            .unwrap();
        assert_eq!((id, map["noise"].as_f64()), (ImageId(7), Some(0.9)));
        assert_eq!(parse_line(b"   ").unwrap(), None);
        assert!(
            parse_line(br#"{"image_id": 7, "predictions": [1]}"#)
                .unwrap_err()
                .contains("JSON object")
        );
        assert!(
            parse_line(br#"{"image": 7}"#)
                .unwrap_err()
                .contains("image_id")
        );
        let huge = format!(
            r#"{{"image_id": 1, "predictions": {{"x": "{}"}}}}"#,
            "a".repeat(MAX_BYTES)
        );
        assert!(parse_line(huge.as_bytes()).unwrap_err().contains("limited"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_refused_as_such() {
        let error = parse_line(b"{\"image_id\": 7, \"predictions\": {\"\xff\": 1}}").unwrap_err();
        assert!(error.contains("not UTF-8"), "{error}");
    }

    #[test]
    fn numbers_keep_the_digits_they_were_written_with() {
        let line = br#"{"image_id": 7, "predictions": {"big": 123456789012345678901234567890, "tiny": 1.0000000000000000001}}"#;
        let (_, map) = parse_line(line).unwrap().unwrap();
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"big":123456789012345678901234567890,"tiny":1.0000000000000000001}"#
        );
    }
}

//! Stores each image's parsed A1111 values as a difference from its session's shared values,
//! in the JSON merge-patch form (RFC 7396) that SQLite's `json_patch` applies: a session's
//! thirty images share the same steps, sampler, model and size, so only the seed is per image.

use serde_json::{Map, Value};

use super::a1111::Parameters;

/// The patch that turns `common` into `values`: changed or new keys with their value, keys
/// `values` lacks as null. An image equal to the session's values stores `{}`.
pub fn diff(common: &Map<String, Value>, values: &Map<String, Value>) -> Map<String, Value> {
    let mut patch: Map<String, Value> = values
        .iter()
        .filter(|(k, v)| common.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for key in common.keys().filter(|k| !values.contains_key(*k)) {
        patch.insert(key.clone(), Value::Null);
    }
    patch
}

/// `common` with `patch` applied, keys in the order RFC 7396 gives: the common keys in their
/// order (patched in place, nulls removed), then the patch's new keys. A patched value replaces
/// the common one whole, objects included, since `diff` stores whole values. Linear in the
/// size of both: a hostile file with tens of thousands of keys must not cost seconds.
pub fn merge(common: &Map<String, Value>, patch: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = Map::with_capacity(common.len() + patch.len());
    for (key, value) in common {
        match patch.get(key) {
            Some(Value::Null) => {}
            Some(patched) => {
                merged.insert(key.clone(), patched.clone());
            }
            None => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    for (key, value) in patch {
        if !value.is_null() && !common.contains_key(key) {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// The A1111 text rebuilt from stored parts; equal to the original whenever the importer chose
/// not to store the original verbatim.
pub fn rebuild_text(prompt: &str, negative: Option<&str>, values: &Map<String, Value>) -> String {
    Parameters {
        prompt: prompt.to_owned(),
        negative_prompt: negative.map(str::to_owned),
        values: values
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => python_json(other),
                };
                (k.clone(), text)
            })
            .collect(),
    }
    .to_text()
}

/// JSON as Python's `json.dumps` writes it (`{"a": 1, "b": [2, 3]}`), which is how A1111
/// writes values such as `Hashes`.
fn python_json(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    match serde::Serialize::serialize(value, &mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| value.to_string()),
        Err(_) => value.to_string(),
    }
}

struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_diff_merged_back_gives_the_values_in_order() {
        let common = map(json!({"Steps": "30", "Seed": "1", "Size": "512x768", "Model": "a"}));
        let values = map(json!({"Steps": "30", "Seed": "42", "Size": "512x768", "Hires": "2"}));
        let patch = diff(&common, &values);
        assert_eq!(
            patch,
            map(json!({"Seed": "42", "Hires": "2", "Model": null}))
        );
        let merged = merge(&common, &patch);
        assert_eq!(merged, values);
        let keys: Vec<&String> = merged.keys().collect();
        assert_eq!(keys, ["Steps", "Seed", "Size", "Hires"]);
        assert!(diff(&values, &values).is_empty());
    }

    #[test]
    fn a_patched_object_replaces_the_common_one_whole() {
        let common = map(json!({"Hashes": {"vae": "a", "model": "b"}, "Steps": "20"}));
        let values = map(json!({"Hashes": {"vae": "a"}, "Steps": "20"}));
        assert_eq!(merge(&common, &diff(&common, &values)), values);
    }

    #[test]
    fn canonical_text_is_rebuilt_exactly() {
        let text = "a cat, \"quoted\"\nNegative prompt: blur\nSteps: 30, Sampler: DPM++ 2M, Seed: 42, Lora hashes: \"a: 1, b: 2\", Hashes: {\"vae\": \"c6a5\", \"model\": [1, 2]}";
        let parsed = Parameters::parse(text);
        let rebuilt = rebuild_text(
            &parsed.prompt,
            parsed.negative_prompt.as_deref(),
            &parsed.values_json(),
        );
        assert_eq!(rebuilt, text);
    }
}

//! The A1111 "infotext" that the SD WebUI stores in a PNG's `parameters` chunk.

/// Builds an A1111 infotext: the prompt, a `Negative prompt: ...` line when one is given, then a
/// last line of `Key: value` pairs separated by `", "`.
///
/// As A1111's `quote()` does, a value holding `,`, `:` or a newline is written JSON-quoted
/// (`Lora hashes: "a: 1b2c, b: 3d4e"`). A value that already is a JSON object (`{"model": "..."}`)
/// is written as it is: A1111 passes dicts such as `Hashes` through `json.dumps`, which leaves
/// them unquoted.
pub fn parameters_text(prompt: &str, negative: Option<&str>, values: &[(&str, String)]) -> String {
    let mut text = String::with_capacity(prompt.len() + 256);
    text.push_str(prompt);
    if let Some(negative) = negative {
        text.push_str("\nNegative prompt: ");
        text.push_str(negative);
    }
    let pairs: Vec<String> = values
        .iter()
        .map(|(key, value)| format!("{key}: {}", quote(value)))
        .collect();
    if !pairs.is_empty() {
        text.push('\n');
        text.push_str(&pairs.join(", "));
    }
    text
}

fn quote(value: &str) -> String {
    let needs_quotes = value.contains([',', ':', '\n']);
    if !needs_quotes || is_json_object(value) {
        return value.to_string();
    }
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

fn is_json_object(value: &str) -> bool {
    value.starts_with('{')
        && matches!(
            serde_json::from_str::<serde_json::Value>(value),
            Ok(serde_json::Value::Object(_))
        )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::parameters_text;
    use crate::domain::a1111::Parameters;

    const KEYS: &[&str] = &[
        "Steps",
        "Sampler",
        "Schedule type",
        "CFG scale",
        "Seed",
        "Size",
        "Model hash",
        "Model",
        "Lora hashes",
        "Version",
    ];

    proptest! {
        #![proptest_config(crate::proptest_config::with_cases(256))]

        /// What the generator writes, the importer reads back whole.
        #[test]
        fn printed_text_parses_back_to_what_was_printed(
            prompt in "[a-z][a-z ,.()]{0,30}[a-z]",
            negative in proptest::option::of("[a-z][a-z ,]{0,20}[a-z]"),
            keys in proptest::sample::subsequence(KEYS, 3..=6),
            values in proptest::collection::vec("[A-Za-z0-9.][A-Za-z0-9 .,:+]{0,12}[A-Za-z0-9.]", 6),
        ) {
            let pairs: Vec<(&str, String)> = keys.iter().copied().zip(values).collect();
            let text = parameters_text(&prompt, negative.as_deref(), &pairs);
            let parsed = Parameters::parse(&text);
            prop_assert_eq!(&parsed.prompt, &prompt);
            prop_assert_eq!(parsed.negative_prompt, negative);
            let expected: Vec<(String, String)> =
                pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            prop_assert_eq!(parsed.values, expected);
        }
    }

    #[test]
    fn writes_prompt_negative_and_a_last_line_of_values() {
        let text = parameters_text(
            "a cat",
            Some("blurry"),
            &[("Steps", "30".into()), ("Seed", "42".into())],
        );
        assert_eq!(text, "a cat\nNegative prompt: blurry\nSteps: 30, Seed: 42");
    }

    #[test]
    fn quotes_values_with_commas_but_not_json_objects() {
        let text = parameters_text(
            "a cat",
            None,
            &[
                ("Lora hashes", "a: 1b2c, b: 3d4e".into()),
                ("Hashes", r#"{"model": "6ce0161689"}"#.into()),
                ("Note", "l'été\nà Paris".into()),
            ],
        );
        assert_eq!(
            text,
            "a cat\nLora hashes: \"a: 1b2c, b: 3d4e\", Hashes: {\"model\": \"6ce0161689\"}, \
             Note: \"l'été\\nà Paris\""
        );
    }
}

//! The facts a session page shows that live only in the manifest snapshot (`sessions.metadata`):
//! the template texts, with their `{Placeholder}`s picked out for highlighting.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Placeholder(String),
}

#[derive(Debug, Clone, Default)]
pub struct TemplateTexts {
    pub prompt: Option<Vec<Segment>>,
    pub negative: Option<Vec<Segment>>,
}

fn text_at<'a>(metadata: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(metadata, |value, key| value.get(key))?
        .as_str()
        .filter(|text| !text.trim().is_empty())
}

/// The prompt template of a session's metadata: the manifest's resolved template (v2
/// snapshot), or the base prompt of a legacy config. It is also the session's `template_name`,
/// which groups and filters sessions by template.
pub fn template_prompt(metadata: &Value) -> Option<&str> {
    text_at(metadata, &["snapshot", "resolved_template", "prompt"])
        .or_else(|| text_at(metadata, &["snapshot", "template", "prompt"]))
        .or_else(|| text_at(metadata, &["legacy_config", "prompt"]))
}

/// The template of a manifest (v2 snapshot) or the base prompt of a legacy config.
pub fn template_texts(metadata: &str) -> TemplateTexts {
    let Ok(metadata) = serde_json::from_str::<Value>(metadata) else {
        return TemplateTexts::default();
    };
    let prompt = template_prompt(&metadata);
    let negative = text_at(&metadata, &["snapshot", "resolved_template", "negative"])
        .or_else(|| text_at(&metadata, &["snapshot", "template", "negative"]))
        .or_else(|| text_at(&metadata, &["legacy_config", "negative_prompt"]));
    TemplateTexts {
        prompt: prompt.map(segments),
        negative: negative.map(segments),
    }
}

/// Splits a template into text and `{Name}` placeholders (a name is word characters only, so
/// stray braces stay text).
pub fn segments(template: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == ' '))
            .unwrap_or(after.len());
        if after[name_len..].starts_with('}') && !after[..name_len].trim().is_empty() {
            text.push_str(&rest[..open]);
            if !text.is_empty() {
                out.push(Segment::Text(std::mem::take(&mut text)));
            }
            out.push(Segment::Placeholder(after[..name_len].to_owned()));
            rest = &after[name_len + 1..];
        } else {
            text.push_str(&rest[..=open]);
            rest = after;
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_picked_out_and_stray_braces_stay_text() {
        assert_eq!(
            segments("a {Subject}, {x y} {not}closed {"),
            vec![
                Segment::Text("a ".into()),
                Segment::Placeholder("Subject".into()),
                Segment::Text(", ".into()),
                Segment::Placeholder("x y".into()),
                Segment::Text(" ".into()),
                Segment::Placeholder("not".into()),
                Segment::Text("closed {".into()),
            ]
        );
        assert_eq!(segments("{}"), vec![Segment::Text("{}".into())]);
    }

    #[test]
    fn templates_come_from_the_snapshot_or_the_legacy_config() {
        let v2 = r#"{"snapshot":{"resolved_template":{"prompt":"a {S}","negative":"blur"}}}"#;
        let texts = template_texts(v2);
        assert_eq!(texts.prompt.unwrap().len(), 2);
        assert!(texts.negative.is_some());
        let legacy = r#"{"legacy_config":{"prompt":"a fox"}}"#;
        assert!(template_texts(legacy).prompt.is_some());
        assert!(template_texts("not json").prompt.is_none());
    }
}

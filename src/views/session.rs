//! What a session page shows above its gallery: the editable head and the manifest facts.

use crate::db::models::Session;
use crate::db::session_detail::{Gone, PlaceholderUse};
use crate::domain::manifest_facts::{Segment, template_prompt, template_texts};
use crate::web::href::url_escape;

pub struct SessionHead {
    pub id: i32,
    pub title: String,
    pub folder_name: String,
    pub display_name: String,
    pub date: String,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub notes: String,
    pub can_edit: bool,
    /// A refused edit, shown beside the form.
    pub error: Option<String>,
}

impl SessionHead {
    pub fn new(session: &Session, can_edit: bool) -> SessionHead {
        SessionHead {
            id: session.id.0,
            title: session
                .display_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| session.name.clone()),
            folder_name: session.folder_name.clone(),
            display_name: session.display_name.clone().unwrap_or_default(),
            date: session.created_at.format("%Y-%m-%d %H:%M").to_string(),
            is_test: session.is_test,
            is_failed: session.is_failed,
            is_archived: session.is_archived,
            is_deleted: session.is_deleted,
            notes: session.notes.clone().unwrap_or_default(),
            can_edit,
            error: None,
        }
    }
}

/// (is a placeholder, text): a template text ready to print with its placeholders marked.
pub type Marked = Vec<(bool, String)>;

fn marked(segments: Vec<Segment>) -> Marked {
    segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => (false, text),
            Segment::Placeholder(name) => (true, format!("{{{name}}}")),
        })
        .collect()
}

/// A placeholder value, how many images use it, and the gallery of just those.
pub type ValueLink = (String, i64, String);

pub struct SessionFacts {
    /// One line of the main facts, shown while the facts are folded.
    pub summary: String,
    /// (label, value) for the facts that are known.
    pub rows: Vec<(&'static str, String)>,
    /// The template's name when the manifest gives one besides its text.
    pub template_name: Option<String>,
    /// The images of every session with this template.
    pub template_href: Option<String>,
    pub template: Option<Marked>,
    pub negative: Option<Marked>,
    pub variations: Vec<(String, Vec<ValueLink>)>,
    pub manifest_error: Option<String>,
    /// Images whose files are gone from disk, kept with their verdicts.
    pub gone: Gone,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "50 images, 50 of them rated (kept, and in the export)".
fn gone_text(gone: Gone) -> String {
    let images = plural(gone.images, "image", "images");
    match gone.rated {
        0 => format!("{images}, none rated"),
        rated => format!("{images}, {rated} of them rated (kept, and in the export)"),
    }
}

impl SessionFacts {
    /// `(on_disk, rated)`: the images on disk and how many of them someone rated.
    pub fn new(
        session: &Session,
        (on_disk, rated): (i32, i32),
        gone: Gone,
        variations: Vec<PlaceholderUse>,
    ) -> SessionFacts {
        let mut rows: Vec<(&'static str, String)> = Vec::new();
        let mut push = |label, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                rows.push((label, value));
            }
        };
        push("Model", session.model_name.clone());
        push("Sampler", session.sampler.clone());
        push("Scheduler", session.scheduler.clone());
        push("Steps", session.steps.map(|s| s.to_string()));
        push("CFG", session.cfg_scale.map(|c| format!("{c}")));
        push(
            "Size",
            session
                .width
                .zip(session.height)
                .map(|(w, h)| format!("{w} × {h}")),
        );
        push(
            "Images",
            Some(match session.images_requested {
                Some(requested) => format!("{on_disk} on disk of {requested} requested"),
                None => format!("{on_disk} on disk"),
            }),
        );
        push("Rated", Some(format!("{rated} of {on_disk} by someone")));
        if gone.images > 0 {
            push("Files gone", Some(gone_text(gone)));
        }
        push("Theme", session.theme.clone());
        push("Style", session.style.clone());
        push("Folder", Some(session.folder_name.clone()));
        let texts = template_texts(&session.metadata);
        let summary = [
            session.model_name.clone(),
            session.sampler.clone(),
            session.steps.map(|s| format!("{s} steps")),
            session.cfg_scale.map(|c| format!("CFG {c}")),
            session
                .width
                .zip(session.height)
                .map(|(w, h)| format!("{w}×{h}")),
            Some(match session.images_requested {
                Some(requested) => format!("{on_disk}/{requested} images"),
                None => format!("{on_disk} images"),
            }),
            (gone.images > 0).then(|| format!("{} gone", gone.images)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        // The template's name is its text unless the manifest named it: shown once.
        let named = session.template_name.clone().filter(|name| {
            serde_json::from_str::<serde_json::Value>(&session.metadata)
                .ok()
                .and_then(|metadata| template_prompt(&metadata).map(|t| t != name))
                .unwrap_or(true)
        });
        SessionFacts {
            summary,
            rows,
            gone,
            template_href: session
                .template_name
                .as_ref()
                .map(|name| format!("/search?template={}", url_escape(name))),
            template_name: named,
            template: texts.prompt.map(marked),
            negative: texts.negative.map(marked),
            variations: variations
                .into_iter()
                .map(|usage| {
                    let values = usage
                        .values
                        .into_iter()
                        .map(|(value, count)| {
                            let href = format!(
                                "/sessions/{}?var={}",
                                session.id,
                                url_escape(&format!("{}:{value}", usage.placeholder))
                            );
                            (value, count, href)
                        })
                        .collect();
                    (usage.placeholder, values)
                })
                .collect(),
            manifest_error: session.manifest_error.clone(),
        }
    }
}

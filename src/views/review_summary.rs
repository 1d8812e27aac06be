//! The end of a review pass: how many of each verdict I gave, the KO categories, and the
//! images behind each count.

use crate::db::gallery::GalleryItem;
use crate::db::models::FailureCategory;
use crate::domain::rating::{Quality, Status, Verdict};

pub struct SummaryThumb {
    pub href: String,
    pub thumb: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

pub struct SummaryGroup {
    /// The anchor of its images on the page.
    pub anchor: String,
    pub label: String,
    /// The verdict's class (its one colour and symbol): up, down, like, ok or ko.
    pub kind: &'static str,
    pub thumbs: Vec<SummaryThumb>,
}

pub struct PassSummary {
    /// Images given a verdict in this pass.
    pub judged: usize,
    pub groups: Vec<SummaryGroup>,
    /// One group per KO category that was used, in the categories' order.
    pub ko_groups: Vec<SummaryGroup>,
}

fn thumb(item: &GalleryItem) -> SummaryThumb {
    SummaryThumb {
        href: format!("/images/{}", item.id),
        thumb: format!("/images/{}/thumb", item.id),
        alt: item.filename.clone(),
        width: item.width.unwrap_or(512).max(1),
        height: item.height.unwrap_or(512).max(1),
    }
}

fn group(
    anchor: &str,
    label: &str,
    kind: &'static str,
    judged: &[(GalleryItem, Verdict)],
    keep: impl Fn(&Verdict) -> bool,
) -> SummaryGroup {
    SummaryGroup {
        anchor: anchor.to_owned(),
        label: label.to_owned(),
        kind,
        thumbs: judged
            .iter()
            .filter(|(_, verdict)| keep(verdict))
            .map(|(item, _)| thumb(item))
            .collect(),
    }
}

/// Whether "Not KO" was pressed: a thumbs up makes an image not KO by itself, and is counted
/// once, as a thumbs up.
fn pressed_not_ko(verdict: &Verdict) -> bool {
    verdict.status == Some(Status::Ok) && verdict.quality != Some(Quality::Perfect)
}

impl PassSummary {
    pub fn new(judged: &[(GalleryItem, Verdict)], categories: &[FailureCategory]) -> PassSummary {
        let groups = vec![
            group("pass-up", "Thumbs up", "up", judged, |v| {
                v.quality == Some(Quality::Perfect)
            }),
            group("pass-down", "Thumbs down", "down", judged, |v| {
                v.quality == Some(Quality::Imperfect)
            }),
            group("pass-like", "Hearts", "like", judged, |v| v.liked),
            group("pass-ok", "Not KO", "ok", judged, pressed_not_ko),
            group("pass-ko", "KO", "ko", judged, |v| {
                v.status == Some(Status::Ko)
            }),
        ];
        let ko_groups = categories
            .iter()
            .map(|category| {
                let anchor = format!("pass-ko-{}", category.name);
                group(&anchor, &category.label, "ko", judged, |v| {
                    v.status == Some(Status::Ko)
                        && v.failure_category.as_deref() == Some(category.name.as_str())
                })
            })
            .filter(|g| !g.thumbs.is_empty())
            .collect();
        PassSummary {
            judged: judged.iter().filter(|(_, v)| !v.is_empty()).count(),
            groups,
            ko_groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rating::RatingAction;

    #[test]
    fn a_thumbs_up_is_counted_once_not_also_as_not_ko() {
        let up = Verdict::default().apply(&RatingAction::Perfect);
        assert_eq!(up.status, Some(Status::Ok), "a thumbs up is not KO");
        assert!(!pressed_not_ko(&up), "but Not KO was not pressed");
        let ok = Verdict::default().apply(&RatingAction::Ok);
        assert!(pressed_not_ko(&ok));
        let down_and_ok = Verdict::default()
            .apply(&RatingAction::Imperfect)
            .apply(&RatingAction::Ok);
        assert!(pressed_not_ko(&down_and_ok), "both pressed, both counted");
    }
}

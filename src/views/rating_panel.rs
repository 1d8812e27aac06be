//! The rating panel of the image page: my buttons, undo, the combined verdict and every
//! rater's verdict. The page renders it whole; a rating answers with just this block.

use askama::Template;
use diesel::SqliteConnection;
use diesel::result::QueryResult;

use super::verdict::VerdictView;
use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::judgements;
use crate::db::models::FailureCategory;
use crate::domain::combined_verdict::Combined;
use crate::domain::rating::Verdict;

pub struct RaterView {
    pub name: String,
    pub verdict: VerdictView,
    pub when: String,
    pub is_me: bool,
}

/// Who gave which verdict, by name, for the combined verdict in words.
#[derive(Debug, Clone, Default)]
pub struct Whose {
    pub ok: Vec<String>,
    /// "name (category)".
    pub ko: Vec<String>,
    pub perfect: Vec<String>,
    pub imperfect: Vec<String>,
    pub liked: Vec<String>,
}

pub struct RatingPanel {
    pub image_id: ImageId,
    pub can_rate: bool,
    pub mine: VerdictView,
    /// The verdict before the change just made, for the Undo button; None on a fresh page.
    pub undo: Option<VerdictView>,
    pub combined: Combined,
    pub whose: Whose,
    pub raters: Vec<RaterView>,
    /// Blind mode hides the others' verdicts until I give mine.
    pub others_hidden: bool,
    pub categories: Vec<FailureCategory>,
}

impl RatingPanel {
    pub fn load(
        conn: &mut SqliteConnection,
        image: ImageId,
        caller: Caller,
        can_rate: bool,
        undo: Option<&Verdict>,
    ) -> QueryResult<RatingPanel> {
        let me = caller.user;
        // Blind mode leaves only my own row until I have judged the image.
        let (seen, categories) = judgements::panel(conn, caller, image)?;
        let all = seen.rows;
        let verdicts: Vec<_> = all.iter().map(|(_, row)| row.verdict()).collect();
        // The same numbers as the image's counters, without another query.
        let combined = Combined::of(&verdicts);
        // My own verdict is one of the raters' rows: no second query for it.
        let mine = all
            .iter()
            .find(|(_, row)| row.user_id == me)
            .map(|(_, row)| row.verdict())
            .unwrap_or_default();
        let raters = all
            .into_iter()
            .map(|(name, row)| RaterView {
                name,
                verdict: VerdictView::from(&row.verdict()),
                when: crate::clock::page_text(row.updated_at, "%Y-%m-%d %H:%M"),
                is_me: row.user_id == me,
            })
            .filter(|r| {
                r.verdict.liked || !r.verdict.quality.is_empty() || !r.verdict.status.is_empty()
            })
            .collect();
        let mut panel = RatingPanel {
            image_id: image,
            can_rate,
            mine: VerdictView::from(&mine),
            undo: undo.map(VerdictView::from),
            combined,
            whose: Whose::default(),
            raters,
            others_hidden: seen.others_hidden,
            categories,
        };
        panel.whose = panel.whose();
        Ok(panel)
    }

    fn whose(&self) -> Whose {
        let mut whose = Whose::default();
        for rater in &self.raters {
            let name = if rater.is_me {
                format!("{} (you)", rater.name)
            } else {
                rater.name.clone()
            };
            let verdict = &rater.verdict;
            match verdict.status {
                "ok" => whose.ok.push(name.clone()),
                "ko" => whose.ko.push(format!(
                    "{name} ({})",
                    self.label(verdict.category.as_str())
                )),
                _ => {}
            }
            match verdict.quality {
                "perfect" => whose.perfect.push(name.clone()),
                "imperfect" => whose.imperfect.push(name.clone()),
                _ => {}
            }
            if verdict.liked {
                whose.liked.push(name);
            }
        }
        whose
    }

    /// A category's label, or its name when it has been removed since.
    pub fn label<'a>(&'a self, name: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|c| c.name == name)
            .map_or(name, |c| c.label.as_str())
    }

    pub fn combined_status(&self) -> &'static str {
        self.combined.status().unwrap_or("")
    }
}

/// The panel alone, as the rating route answers: the same block of the page template.
#[derive(Template)]
#[template(path = "pages/image.html", block = "rating_panel")]
pub struct RatingPanelFragment {
    pub panel: RatingPanel,
}

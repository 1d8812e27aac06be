//! A review queue from the URL: the gallery's filter (the same parameters as the gallery and
//! search, with `unrated` on unless the URL says `unrated=0`), a session tag, and the
//! review's own parameters: the order, blind mode, the pass it belongs to and where in it we
//! are.

use chrono::NaiveDateTime;

use crate::domain::gallery_filter::{GalleryFilter, GallerySort};
use crate::domain::ids::ImageId;
use crate::domain::rating::{Quality, Status, Verdict};
use crate::domain::review_order::ReviewOrder;
use crate::domain::tag::Tag;

/// The review's own parameters; everything else goes to `GalleryFilter::parse`.
const OWN: [&str; 11] = [
    "tag",
    "order",
    "salt",
    "blind",
    "since",
    "cursor",
    "at",
    "undo",
    "was",
    "was_category",
    "was_notes",
];
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewQuery {
    pub filter: GalleryFilter,
    /// Only sessions with this tag.
    pub tag: Option<Tag>,
    pub order: ReviewOrder,
    /// Shuffles a random order, the same for the whole pass.
    pub salt: u32,
    /// Others' verdicts stay hidden until I have given mine.
    pub blind: bool,
    /// When this pass started: its summary counts my judgements since.
    pub since: Option<NaiveDateTime>,
    /// Continue after this image.
    pub cursor: Option<ImageId>,
    /// Show this image first (going back to it after an undo).
    pub at: Option<ImageId>,
    /// The verdict an image had before my last judgement, for the Undo button of a page
    /// without JavaScript.
    pub undo: Option<(ImageId, Verdict)>,
}

fn flag(key: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" => Ok(false),
        _ => Err(format!("`{key}` takes 1 or 0, not `{value}`")),
    }
}

fn image_id(key: &str, value: &str) -> Result<Option<ImageId>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(|id| Some(ImageId(id)))
        .map_err(|_| format!("`{key}` is an image number, not `{value}`"))
}

/// `was`: three letters for quality (p, i or -), heart (1 or 0) and status (o, k or -).
pub fn verdict_code(verdict: &Verdict) -> String {
    let quality = match verdict.quality {
        Some(Quality::Perfect) => 'p',
        Some(Quality::Imperfect) => 'i',
        None => '-',
    };
    let status = match verdict.status {
        Some(Status::Ok) => 'o',
        Some(Status::Ko) => 'k',
        None => '-',
    };
    format!("{quality}{}{status}", u8::from(verdict.liked))
}

fn parse_verdict(code: &str, category: &str, notes: &str) -> Result<Verdict, String> {
    let bad = || format!("`was` is three letters such as p1o or -0k, not `{code}`");
    let mut letters = code.chars();
    let (Some(q), Some(l), Some(s), None) = (
        letters.next(),
        letters.next(),
        letters.next(),
        letters.next(),
    ) else {
        return Err(bad());
    };
    let quality = match q {
        'p' => Some(Quality::Perfect),
        'i' => Some(Quality::Imperfect),
        '-' => None,
        _ => return Err(bad()),
    };
    let status = match s {
        'o' => Some(Status::Ok),
        'k' => Some(Status::Ko),
        '-' => None,
        _ => return Err(bad()),
    };
    let ko = status == Some(Status::Ko);
    let text = |t: &str| Some(t.to_owned()).filter(|t| ko && !t.is_empty());
    if ko && category.is_empty() {
        return Err("a KO to put back needs its `was_category`".into());
    }
    Ok(Verdict {
        quality,
        liked: l == '1',
        status,
        failure_category: text(category),
        failure_notes: text(notes),
    })
}

impl ReviewQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<ReviewQuery, String> {
        let (own, rest): (Vec<_>, Vec<_>) = pairs
            .iter()
            .cloned()
            .partition(|(key, _)| OWN.contains(&key.as_str()));
        let mut filter = GalleryFilter::parse(&rest)?;
        if filter.deleted {
            return Err("review goes through images that are not deleted: drop `deleted`".into());
        }
        // Unrated by me unless the URL says otherwise (an empty value is the default too).
        if !rest
            .iter()
            .any(|(k, v)| k == "unrated" && !v.trim().is_empty())
        {
            filter.unrated_by_me = true;
        }
        // The gallery's sort and page mean nothing here: the review has its own order.
        filter.sort = GallerySort::File;
        filter.page = 1;
        let mut query = ReviewQuery {
            filter,
            tag: None,
            order: ReviewOrder::File,
            salt: 0,
            blind: true,
            since: None,
            cursor: None,
            at: None,
            undo: None,
        };
        let get = |name: &str| {
            own.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.trim())
        };
        for (key, value) in &own {
            let value = value.trim();
            match key.as_str() {
                "tag" if !value.is_empty() => query.tag = Some(Tag::parse(value)?),
                "order" => query.order = ReviewOrder::parse(value)?,
                "salt" if !value.is_empty() => {
                    query.salt = value
                        .parse()
                        .map_err(|_| format!("`salt` is a whole number, not `{value}`"))?
                }
                "blind" => query.blind = flag(key, value)?,
                "since" if !value.is_empty() => {
                    query.since = Some(NaiveDateTime::parse_from_str(value, TIME_FORMAT).map_err(
                        |_| format!("`since` is a time such as 2026-12-01T09:30:00, not `{value}`"),
                    )?)
                }
                "cursor" => query.cursor = image_id(key, value)?,
                "at" => query.at = image_id(key, value)?,
                "undo" => {
                    if let Some(id) = image_id(key, value)? {
                        let verdict =
                            parse_verdict(get("was"), get("was_category"), get("was_notes"))?;
                        query.undo = Some((id, verdict));
                    }
                }
                _ => {}
            }
        }
        Ok(query)
    }

    /// The queue and its pass as query pairs, without the position (cursor, at, undo).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<_> = self
            .filter
            .pairs()
            .into_iter()
            .filter(|(key, _)| *key != "unrated")
            .collect();
        if !self.filter.unrated_by_me {
            pairs.push(("unrated", "0".into()));
        }
        if let Some(tag) = &self.tag {
            pairs.push(("tag", tag.as_str().to_owned()));
        }
        if self.order != ReviewOrder::File {
            pairs.push(("order", self.order.as_str().into()));
        }
        if self.order == ReviewOrder::Random {
            pairs.push(("salt", self.salt.to_string()));
        }
        if !self.blind {
            pairs.push(("blind", "0".into()));
        }
        if let Some(since) = self.since {
            pairs.push(("since", since.format(TIME_FORMAT).to_string()));
        }
        pairs
    }

    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    /// The same queue, continuing after `image`.
    pub fn after(&self, image: ImageId) -> String {
        let mut pairs = self.pairs();
        pairs.push(("cursor", image.to_string()));
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The same queue after `image` (or at it, when `stay`), offering to put `before` back.
    pub fn with_undo(&self, image: ImageId, before: &Verdict, stay: bool) -> String {
        let mut pairs = self.pairs();
        pairs.push((if stay { "at" } else { "cursor" }, image.to_string()));
        pairs.push(("undo", image.to_string()));
        pairs.push(("was", verdict_code(before)));
        if let Some(category) = &before.failure_category {
            pairs.push(("was_category", category.clone()));
        }
        if let Some(notes) = &before.failure_notes {
            pairs.push(("was_notes", notes.clone()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The same queue, showing `image` first.
    pub fn at(&self, image: ImageId) -> String {
        let mut pairs = self.pairs();
        pairs.push(("at", image.to_string()));
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The queue's scope without any verdict filter: what the summary of a pass counts in
    /// (the images I judged leave an "unrated" queue but still belong to its pass).
    pub fn scope(&self) -> GalleryFilter {
        GalleryFilter {
            session: self.filter.session,
            search: self.filter.search.clone(),
            variations: self.filter.variations.clone(),
            page: 1,
            ..GalleryFilter::default()
        }
    }

    pub fn format_time(time: NaiveDateTime) -> String {
        time.format(TIME_FORMAT).to_string()
    }
}

#[cfg(test)]
#[path = "review_query_tests.rs"]
mod tests;

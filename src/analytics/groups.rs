//! Totals, KO per failure category, and the images grouped by what their session says: model,
//! sampler, scheduler, tag, week, and the session itself.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::inputs::Inputs;
use super::report::{CategoryCount, Group, SESSION_ROWS, Totals};
use crate::db::stats::{SessionRow, flags};
use crate::domain::gallery_filter::NO_VALUE;
use crate::domain::stats::wilson::{Rate, wilson};

/// Counts over a set of images.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub images: u64,
    pub broken: u64,
    pub rated: u64,
    pub liked: u64,
    pub perfect: u64,
    pub imperfect: u64,
    pub ok: u64,
    pub ko: u64,
    pub judged: u64,
}

impl Tally {
    pub fn add(&mut self, bits: u8) {
        let has = |flag: u8| u64::from(bits & flag != 0);
        self.images += 1;
        self.broken += has(flags::BROKEN);
        self.rated += has(flags::RATED);
        self.liked += has(flags::LIKED);
        self.perfect += has(flags::PERFECT);
        self.imperfect += has(flags::IMPERFECT);
        self.ok += has(flags::OK);
        self.ko += has(flags::KO);
        self.judged += has(flags::OK | flags::KO);
    }

    fn merge(&mut self, other: &Tally) {
        self.images += other.images;
        self.broken += other.broken;
        self.rated += other.rated;
        self.liked += other.liked;
        self.perfect += other.perfect;
        self.imperfect += other.imperfect;
        self.ok += other.ok;
        self.ko += other.ko;
        self.judged += other.judged;
    }

    pub fn ko_rate(&self) -> Option<Rate> {
        wilson(self.ko, self.judged)
    }
}

/// The images of each session, by session index.
pub fn per_session(inputs: &Inputs) -> Vec<Tally> {
    let mut tallies = vec![Tally::default(); inputs.sessions.len()];
    for image in &inputs.images {
        tallies[image.session as usize].add(image.flags);
    }
    tallies
}

/// Whether a session counts: every live one for the whole library, else those holding at least
/// one of the filtered images.
fn counts(inputs: &Inputs, session: &SessionRow, tally: &Tally) -> bool {
    if inputs.whole_library {
        !session.is_deleted
    } else {
        tally.images > 0
    }
}

pub fn totals(inputs: &Inputs, sessions: &[Tally]) -> Totals {
    let mut all = Tally::default();
    let mut totals = Totals::default();
    for (session, tally) in inputs.sessions.iter().zip(sessions) {
        all.merge(tally);
        totals.sessions_in_trash += u64::from(session.is_deleted);
        if counts(inputs, session, tally) {
            totals.sessions += 1;
            totals.test_sessions += u64::from(session.is_test);
            totals.failed_sessions += u64::from(session.is_failed);
            totals.archived_sessions += u64::from(session.is_archived);
        }
    }
    Totals {
        images: all.images,
        broken_images: all.broken,
        images_in_trash: inputs.images_in_trash,
        rated: all.rated,
        unrated: all.images - all.rated,
        liked: all.liked,
        perfect: all.perfect,
        imperfect: all.imperfect,
        ok: all.ok,
        ko: all.ko,
        judged: all.judged,
        ko_rate: all.ko_rate(),
        ..totals
    }
}

pub fn ko_by_category(inputs: &Inputs, judged: u64) -> Vec<CategoryCount> {
    let mut counts = vec![0; inputs.categories.len()];
    for &image in inputs.ko_categories.keys() {
        inputs.tally_categories(image, &mut counts);
    }
    inputs
        .categories
        .iter()
        .zip(counts)
        .map(|(category, images)| CategoryCount {
            category: category.name.clone(),
            label: category.label.clone(),
            images,
            rate: wilson(images, judged),
        })
        .collect()
}

/// What a session says about one grouping: (filter value, shown name) pairs, none to many.
type Keys = fn(&Inputs, usize) -> Vec<(String, String)>;

fn fact(value: &Option<String>) -> Vec<(String, String)> {
    match value {
        Some(v) => vec![(v.clone(), v.clone())],
        None => vec![(NO_VALUE.to_owned(), "not recorded".to_owned())],
    }
}

pub fn by_model(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(grouped(inputs, sessions, |i, s| fact(&i.sessions[s].model)))
}

pub fn by_sampler(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(grouped(inputs, sessions, |i, s| {
        fact(&i.sessions[s].sampler)
    }))
}

pub fn by_scheduler(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(grouped(inputs, sessions, |i, s| {
        fact(&i.sessions[s].scheduler)
    }))
}

pub fn by_tag(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(grouped(inputs, sessions, |i, s| {
        i.tags[s].iter().map(|t| (t.clone(), t.clone())).collect()
    }))
}

/// The Monday of a date's ISO week.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Weeks of the sessions' creation, oldest first.
pub fn by_week(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    grouped(inputs, sessions, |i, s| {
        let monday = monday(i.sessions[s].created_at.date());
        vec![(
            monday.to_string(),
            format!("week of {}", monday.format("%-d %b %Y")),
        )]
    })
}

/// The sessions with judged images, worst first, at most `SESSION_ROWS`; and how many there are.
pub fn by_session(inputs: &Inputs, sessions: &[Tally]) -> (Vec<Group>, u64) {
    let rows: Vec<Group> = inputs
        .sessions
        .iter()
        .zip(sessions)
        .filter(|(_, tally)| tally.judged > 0)
        .map(|(session, tally)| {
            let name = session.display_name.clone().unwrap_or(session.name.clone());
            group(session.id.to_string(), name, 1, tally)
        })
        .collect();
    let judged = rows.len() as u64;
    let mut rows = worst_first(rows);
    rows.truncate(SESSION_ROWS);
    (rows, judged)
}

fn group(key: String, name: String, sessions: u64, tally: &Tally) -> Group {
    Group {
        key,
        name,
        sessions,
        images: tally.images,
        rated: tally.rated,
        liked: tally.liked,
        judged: tally.judged,
        ko: tally.ko,
        ko_rate: tally.ko_rate(),
    }
}

/// Groups in key order.
fn grouped(inputs: &Inputs, sessions: &[Tally], keys: Keys) -> Vec<Group> {
    let mut groups: BTreeMap<String, (String, u64, Tally)> = BTreeMap::new();
    for (at, (session, tally)) in inputs.sessions.iter().zip(sessions).enumerate() {
        if !counts(inputs, session, tally) {
            continue;
        }
        for (key, name) in keys(inputs, at) {
            let entry = groups.entry(key).or_insert((name, 0, Tally::default()));
            entry.1 += 1;
            entry.2.merge(tally);
        }
    }
    groups
        .into_iter()
        .map(|(key, (name, count, tally))| group(key, name, count, &tally))
        .collect()
}

/// Highest lower bound of the KO rate first (a group must fail often on many images to lead),
/// groups nobody judged last, by size.
fn worst_first(mut groups: Vec<Group>) -> Vec<Group> {
    groups.sort_by(|a, b| {
        let low = |g: &Group| g.ko_rate.map_or(-1.0, |r| r.low);
        low(b)
            .total_cmp(&low(a))
            .then(b.judged.cmp(&a.judged))
            .then(b.images.cmp(&a.images))
            .then(a.name.cmp(&b.name))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 1, 11).unwrap();
        let monday_before = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(monday(sunday), monday_before);
        assert_eq!(monday(monday_before), monday_before);
    }

    #[test]
    fn a_tally_counts_judged_images_once_and_ko_out_of_them() {
        let mut tally = Tally::default();
        tally.add(flags::OK | flags::KO | flags::RATED);
        tally.add(flags::OK | flags::RATED | flags::PERFECT);
        tally.add(flags::LIKED | flags::RATED);
        tally.add(flags::BROKEN);
        assert_eq!(
            (tally.images, tally.judged, tally.ko, tally.rated),
            (4, 2, 1, 3)
        );
        assert_eq!(tally.ko_rate().unwrap().rate, 0.5);
    }
}

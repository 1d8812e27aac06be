//! Totals, KO per failure category, and the images grouped by what their session says: model,
//! sampler, scheduler, prompt template, tag, week, and the session itself.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};

use super::inputs::{Image, Inputs};
use super::report::{CategoryCount, Group, SESSION_ROWS, Totals};
use crate::db::stats::{SessionRow, flags};
use crate::domain::gallery_filter::NO_VALUE;
use crate::domain::stats::rule::{Counted, KoRule};
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
    /// Images some rater called OK.
    pub ok: u64,
    /// Images some rater gave a status, OK or KO.
    pub judged: u64,
    /// Statuses given: one per rater per judged image.
    pub judgements: u64,
    /// What the KO rate is out of under the rule: judged images, or judgements under `each`.
    pub counted: u64,
    /// KO under the rule, out of `counted`.
    pub ko: u64,
}

impl Tally {
    pub fn add(&mut self, image: &Image, rule: KoRule) {
        let bits = image.flags;
        let has = |flag: u8| u64::from(bits & flag != 0);
        self.images += 1;
        self.broken += has(flags::BROKEN);
        self.rated += has(flags::RATED);
        self.liked += has(flags::LIKED);
        self.perfect += has(flags::PERFECT);
        self.imperfect += has(flags::IMPERFECT);
        self.ok += has(flags::OK);
        self.judged += has(flags::OK | flags::KO);
        self.judgements += image.judgements();
        let Counted { counted, ko } = image.counted(rule);
        self.counted += counted;
        self.ko += ko;
    }

    fn merge(&mut self, other: &Tally) {
        self.images += other.images;
        self.broken += other.broken;
        self.rated += other.rated;
        self.liked += other.liked;
        self.perfect += other.perfect;
        self.imperfect += other.imperfect;
        self.ok += other.ok;
        self.judged += other.judged;
        self.judgements += other.judgements;
        self.counted += other.counted;
        self.ko += other.ko;
    }

    pub fn ko_rate(&self) -> Option<Rate> {
        wilson(self.ko, self.counted)
    }

    pub fn raters_per_image(&self) -> Option<f64> {
        raters_per_image(self.judgements, self.judged)
    }
}

/// Coverage: statuses given per judged image ("1.8 raters per image").
pub fn raters_per_image(judgements: u64, judged: u64) -> Option<f64> {
    (judged > 0).then(|| judgements as f64 / judged as f64)
}

/// The images of each session, by session index.
pub fn per_session(inputs: &Inputs) -> Vec<Tally> {
    let mut tallies = vec![Tally::default(); inputs.sessions.len()];
    for image in &inputs.images {
        tallies[image.session as usize].add(image, inputs.rule);
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
        judgements: all.judgements,
        counted: all.counted,
        raters_per_image: all.raters_per_image(),
        ko_rate: all.ko_rate(),
        ..totals
    }
}

/// Per category, what counts as KO in it under the rule: an image some rater put there
/// (`any`), an image more than half of its raters put there (`majority`), or each judgement
/// that put an image there (`each`); out of `counted`, the totals' KO rate's own base.
pub fn ko_by_category(inputs: &Inputs, counted: u64) -> Vec<CategoryCount> {
    let mut counts = vec![0; inputs.categories.len()];
    match inputs.rule {
        KoRule::Any => {
            for &image in inputs.ko_categories.keys() {
                inputs.tally_categories(image, &mut counts);
            }
        }
        rule => {
            let mut votes: HashMap<(u32, u8), u64> = HashMap::new();
            for judged in &inputs.judgements {
                if let Some(category) = judged.category.filter(|_| judged.status == 2) {
                    *votes.entry((judged.image, category)).or_default() += 1;
                }
            }
            for ((image, category), n) in votes {
                let raters = inputs.images[image as usize].judgements();
                let add = match rule {
                    KoRule::Majority => u64::from(2 * n > raters),
                    _ => n,
                };
                if let Some(count) = counts.get_mut(usize::from(category)) {
                    *count += add;
                }
            }
        }
    }
    inputs
        .categories
        .iter()
        .zip(counts)
        .map(|(category, images)| CategoryCount {
            category: category.name.clone(),
            label: category.label.clone(),
            images,
            rate: wilson(images, counted),
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

/// Samplers spelt in different cases (`Euler`, `euler`) are one sampler.
pub fn by_sampler(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(ignoring_case(grouped(inputs, sessions, |i, s| {
        fact(&i.sessions[s].sampler)
    })))
}

/// Schedulers spelt in different cases (`Karras`, `karras`) are one scheduler.
pub fn by_scheduler(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(ignoring_case(grouped(inputs, sessions, |i, s| {
        fact(&i.sessions[s].scheduler)
    })))
}

/// What the template group of sessions whose manifest held no template is called.
pub const NO_TEMPLATE: &str = "no template recorded";

/// Templates are prompt texts: two that differ in case or spacing are two templates.
pub fn by_template(inputs: &Inputs, sessions: &[Tally]) -> Vec<Group> {
    worst_first(grouped(inputs, sessions, |i, s| {
        match &i.sessions[s].template {
            Some(template) => vec![(template.clone(), template.clone())],
            None => vec![(NO_VALUE.to_owned(), NO_TEMPLATE.to_owned())],
        }
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
        judgements: tally.judgements,
        raters_per_image: tally.raters_per_image(),
        counted: tally.counted,
        ko: tally.ko,
        ko_rate: tally.ko_rate(),
    }
}

/// Groups whose keys differ only in case, as one: keyed and named by the spelling most of its
/// sessions use ("Karras (also karras)"). The gallery's filters on these take any case, so the
/// key still leads to every image of the group.
fn ignoring_case(groups: Vec<Group>) -> Vec<Group> {
    let mut folded: BTreeMap<String, Vec<Group>> = BTreeMap::new();
    for group in groups {
        folded
            .entry(group.key.to_lowercase())
            .or_default()
            .push(group);
    }
    folded
        .into_values()
        .filter_map(|mut spellings| {
            // Most sessions first, then A to Z: the first names the group.
            spellings.sort_by(|a, b| b.sessions.cmp(&a.sessions).then(a.key.cmp(&b.key)));
            let others: Vec<String> = spellings[1..].iter().map(|g| g.key.clone()).collect();
            let mut spellings = spellings.into_iter();
            let mut one = spellings.next()?;
            for other in spellings {
                one.sessions += other.sessions;
                one.images += other.images;
                one.rated += other.rated;
                one.liked += other.liked;
                one.judged += other.judged;
                one.judgements += other.judgements;
                one.counted += other.counted;
                one.ko += other.ko;
            }
            one.ko_rate = wilson(one.ko, one.counted);
            one.raters_per_image = raters_per_image(one.judgements, one.judged);
            if !others.is_empty() {
                one.name = format!("{} (also {})", one.name, others.join(", "));
            }
            Some(one)
        })
        .collect()
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

    fn image(flags: u8, oks: u16, kos: u16) -> Image {
        Image {
            session: 0,
            flags,
            oks,
            kos,
        }
    }

    #[test]
    fn a_tally_counts_judged_images_once_and_ko_out_of_them() {
        let images = [
            image(flags::OK | flags::KO | flags::RATED, 1, 1),
            image(flags::OK | flags::RATED | flags::PERFECT, 1, 0),
            image(flags::LIKED | flags::RATED, 0, 0),
            image(flags::BROKEN, 0, 0),
        ];
        let tally = |rule| {
            let mut tally = Tally::default();
            for image in &images {
                tally.add(image, rule);
            }
            tally
        };
        let any = tally(KoRule::Any);
        assert_eq!((any.images, any.judged, any.ko, any.rated), (4, 2, 1, 3));
        assert_eq!(any.ko_rate().unwrap().rate, 0.5);
        assert_eq!(any.raters_per_image(), Some(1.5));
        assert_eq!(tally(KoRule::Majority).ko, 0, "a tie is no majority");
        let each = tally(KoRule::Each);
        assert_eq!((each.counted, each.ko), (3, 1));
    }

    fn named(key: &str, sessions: u64, judged: u64, ko: u64) -> Group {
        Group {
            key: key.into(),
            name: key.into(),
            sessions,
            images: judged,
            rated: judged,
            liked: 0,
            judged,
            judgements: judged,
            raters_per_image: Some(1.0),
            counted: judged,
            ko,
            ko_rate: wilson(ko, judged),
        }
    }

    #[test]
    fn spellings_that_differ_in_case_are_one_group_named_by_the_commonest() {
        let groups = ignoring_case(vec![
            named("Karras", 3, 10, 2),
            named("karras", 1, 4, 2),
            named("normal", 2, 5, 0),
        ]);
        assert_eq!(groups.len(), 2);
        let karras = &groups[0];
        assert_eq!(karras.key, "Karras");
        assert_eq!(karras.name, "Karras (also karras)");
        assert_eq!((karras.sessions, karras.judged, karras.ko), (4, 14, 4));
        assert_eq!(karras.ko_rate, wilson(4, 14));
    }

    fn session(id: i32, model: &str, template: Option<&str>) -> SessionRow {
        SessionRow {
            id: crate::db::ids::SessionId(id),
            name: format!("session {id}"),
            display_name: None,
            created_at: NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            model: Some(model.to_owned()),
            sampler: None,
            scheduler: None,
            template: template.map(str::to_owned),
            is_test: false,
            is_failed: false,
            is_archived: false,
            is_deleted: false,
        }
    }

    fn judged(session: u32, ko: bool) -> Image {
        let verdict = if ko { flags::KO } else { flags::OK };
        Image {
            session,
            flags: flags::RATED | verdict,
            oks: u16::from(!ko),
            kos: u16::from(ko),
        }
    }

    #[test]
    fn sessions_of_one_template_are_one_group_and_those_without_one_are_named_so() {
        let portrait = "A portrait of {Subject}";
        let inputs = Inputs::of(
            KoRule::Any,
            vec![
                session(1, "sd_v15", Some(portrait)),
                session(2, "sdxl", Some(portrait)),
                session(3, "sd_v15", Some("a portrait of {Subject}")),
                session(4, "sdxl", None),
            ],
            vec![
                judged(0, true),
                judged(0, false),
                judged(1, true),
                judged(2, false),
                judged(3, true),
                judged(3, true),
                judged(3, false),
            ],
        );
        let sessions = per_session(&inputs);
        let groups = by_template(&inputs, &sessions);
        let of = |key: &str| groups.iter().find(|g| g.key == key).unwrap();
        assert_eq!(groups.len(), 3, "a template spelt otherwise is another one");
        let same = of(portrait);
        assert_eq!(same.name, portrait);
        assert_eq!((same.sessions, same.judged, same.ko), (2, 3, 2));
        let none = of(NO_VALUE);
        assert_eq!(none.name, NO_TEMPLATE);
        assert_eq!((none.sessions, none.judged, none.ko), (1, 3, 2));
        assert_eq!(of("a portrait of {Subject}").ko, 0);
        let judged: u64 = groups.iter().map(|g| g.judged).sum();
        assert_eq!(judged, 7, "each image in exactly one template");
        let by_model = by_model(&inputs, &sessions);
        assert_eq!(
            by_model
                .iter()
                .map(|g| (g.judged, g.ko))
                .collect::<Vec<_>>(),
            [(4, 3), (3, 1)],
            "the models' figures do not move"
        );
    }
}

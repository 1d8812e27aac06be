//! The whole library decided up front from the seed: which folders, which files, which faults.
//! Writing then needs no randomness, and the expected counts follow from the plan alone.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::LibrarySpec;
use super::png_file::TextKind;
use super::recipe::{ImageMeta, Recipe};
use super::roles::Roles;
use super::session_plan::plan_session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Valid manifest v2, current folder name shape.
    Regular,
    /// A manifest.json that does not parse (`true`: an empty file, else cut in half).
    InvalidManifest(bool),
    /// No manifest yet; the last PNG is cut short.
    StillWriting,
    /// `YYYY-MM-DD_HHMMSS_<name>.prompt` with a `session_config.txt`.
    Legacy,
    /// An odd folder name holding only PNGs with parameters.
    ImagesOnly,
    /// An odd folder name holding only ComfyUI PNGs.
    Comfy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    Params,
    Comfy,
    ZeroByte,
    Truncated,
    TextFile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Png,
    Jpeg,
    /// WebP, with EXIF parameters or without.
    Webp(bool),
}

#[derive(Debug, Clone)]
pub(crate) struct FilePlan {
    pub name: String,
    /// Index into the session's `images`.
    pub meta: usize,
    pub content: Content,
    pub format: Format,
    pub text_kind: TextKind,
    pub after_idat: bool,
    pub large: bool,
    pub listed: bool,
    pub on_disk: bool,
}

impl FilePlan {
    pub fn is_broken(&self) -> bool {
        matches!(
            self.content,
            Content::ZeroByte | Content::Truncated | Content::TextFile
        )
    }
    fn has_pixels(&self) -> bool {
        self.on_disk && !matches!(self.content, Content::ZeroByte | Content::TextFile)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SessionPlan {
    pub folder: String,
    pub name: String,
    pub kind: Kind,
    pub when: NaiveDateTime,
    /// `snapshot.timestamp`, with or without a zone.
    pub timestamp: String,
    pub recipe: Recipe,
    pub images: Vec<ImageMeta>,
    pub files: Vec<FilePlan>,
    pub log_file: bool,
}

impl SessionPlan {
    pub fn has_valid_manifest(&self) -> bool {
        self.kind == Kind::Regular
    }
    pub fn has_manifest_file(&self) -> bool {
        matches!(self.kind, Kind::Regular | Kind::InvalidManifest(_))
    }
}

/// Extra folders beside the regular ones: (older `.prompt` sessions, odd-name sessions).
pub(crate) fn extra_counts(regular: usize) -> (usize, usize) {
    if regular == 0 {
        return (0, 0);
    }
    ((regular * 5 / 100).max(1), (regular / 100).max(2))
}

pub(crate) fn plan_library(spec: &LibrarySpec) -> Vec<SessionPlan> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let mut plans = Vec::new();
    let start = at(2024, 6, 1) + Duration::hours(8);
    let gap = Duration::days(365).num_seconds() / (spec.sessions as i64 + 1);
    for index in 0..spec.sessions {
        let jitter = rng.random_range(0..(gap / 2).max(1));
        let when = start + Duration::seconds(gap * index as i64 + jitter);
        let roles = Roles::for_regular(index, spec.sessions, &mut rng);
        let count = image_count(&mut rng, spec.images_per_session, roles.min_images());
        plans.push(plan_session(&mut rng, spec, roles, when, count));
    }
    if spec.big_session_files > 0 {
        let when = start + Duration::days(180) + Duration::seconds(17);
        let roles = Roles::big();
        plans.push(plan_session(
            &mut rng,
            spec,
            roles,
            when,
            spec.big_session_files,
        ));
    }
    let (legacy, odd) = extra_counts(spec.sessions);
    let legacy_start = at(2024, 1, 8) + Duration::hours(10);
    for index in 0..legacy {
        let when = legacy_start + Duration::seconds(rng.random_range(0..140 * 86_400));
        let roles = Roles::older(Kind::Legacy, index);
        let count = image_count(&mut rng, spec.images_per_session, 1);
        plans.push(plan_session(&mut rng, spec, roles, when, count));
    }
    for index in 0..odd {
        let kind = if index == 0 {
            Kind::Comfy
        } else {
            Kind::ImagesOnly
        };
        let when = legacy_start + Duration::seconds(rng.random_range(0..300 * 86_400));
        let count = image_count(&mut rng, spec.images_per_session, 1);
        plans.push(plan_session(
            &mut rng,
            spec,
            Roles::older(kind, index),
            when,
            count,
        ));
    }
    mark_large(&mut plans, spec.large_images);
    make_folders_unique(&mut plans);
    plans
}

/// Two sessions drawn at the same second with the same name get ` (2)`, ` (3)`... appended.
fn make_folders_unique(plans: &mut [SessionPlan]) {
    let mut seen = std::collections::HashSet::new();
    for plan in plans {
        let base = plan.folder.clone();
        let mut n = 1;
        while !seen.insert(plan.folder.clone()) {
            n += 1;
            plan.folder = format!("{base} ({n})");
        }
    }
}

/// About `average` (+-50%), at least `min`.
fn image_count(rng: &mut StdRng, average: usize, min: usize) -> usize {
    let spread = average / 2;
    rng.random_range(average - spread..=average + spread)
        .max(min)
}

/// Makes exactly `large` of the files with pixels 512x768, spread evenly over the library.
fn mark_large(plans: &mut [SessionPlan], large: usize) {
    let total = plans
        .iter()
        .flat_map(|p| &p.files)
        .filter(|f| f.has_pixels())
        .count();
    let mut seen = 0;
    for file in plans.iter_mut().flat_map(|p| &mut p.files) {
        if file.has_pixels() {
            file.large = total > 0 && (seen + 1) * large / total > seen * large / total;
            seen += 1;
        }
    }
}

fn at(year: i32, month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

//! Plans one session folder: its name, recipe, per-image metadata and files.

use chrono::{Datelike, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, index};

use super::LibrarySpec;
use super::plan::{Content, FilePlan, Format, Kind, SessionPlan};
use super::png_file::TextKind;
use super::prompts::{draw_recipe, pick};
use super::roles::Roles;
use super::vocab;

pub(crate) fn plan_session(
    rng: &mut StdRng,
    spec: &LibrarySpec,
    roles: Roles,
    when: NaiveDateTime,
    count: usize,
) -> SessionPlan {
    let (folder, name) = folder_name(rng, &roles, when);
    let requested = match roles.kind {
        Kind::StillWriting => count * 2,
        _ if rng.random_bool(0.1) => count + rng.random_range(1..=count.max(1)),
        _ => count,
    };
    let recipe = draw_recipe(rng, roles.flavour, requested);
    let images: Vec<_> = (0..count).map(|i| recipe.image(i, rng)).collect();
    let naming = if matches!(roles.kind, Kind::Legacy | Kind::ImagesOnly) {
        2
    } else {
        rng.random_range(0..3)
    };
    let stamp = when.format("%Y%m%d_%H%M%S").to_string();
    let mut files: Vec<FilePlan> = images
        .iter()
        .enumerate()
        .map(|(i, meta)| {
            let format = match roles.format {
                Format::Webp(true) => Format::Webp(i % 3 != 2),
                other => other,
            };
            let stem = match (roles.kind, naming) {
                (Kind::Comfy, _) => format!("ComfyUI_{:05}_", i + 1),
                (_, 0) => format!("{:04}", i + 1),
                (_, 1) => format!("{stamp}_{:04}", i + 1),
                _ => format!("{:05}-{}", i + 1, meta.seed),
            };
            FilePlan {
                name: format!("{stem}.{}", extension(format, i)),
                meta: i,
                content: draw_content(rng, spec, &roles, i, format),
                format,
                text_kind: draw_text_kind(rng),
                after_idat: rng.random_bool(0.03),
                large: false,
                listed: true,
                on_disk: true,
            }
        })
        .collect();
    if roles.odd_chunks {
        let at = roles.forced.len();
        if let Some(file) = files.get_mut(at) {
            file.text_kind = TextKind::Ztxt;
        }
        if let Some(file) = files.get_mut(at + 1) {
            file.after_idat = true;
        }
    }
    if let (Kind::StillWriting, Some(last)) = (roles.kind, files.last_mut()) {
        last.content = Content::Truncated;
    }
    mark_missing(rng, &mut files, &roles);
    for j in 0..roles.unlisted.min(count) {
        files.push(unlisted_file(j, count));
    }
    SessionPlan {
        folder,
        name,
        kind: roles.kind,
        when,
        timestamp: timestamp(when, roles.zone),
        recipe,
        images,
        files,
        log_file: roles.log,
    }
}

fn folder_name(rng: &mut StdRng, roles: &Roles, when: NaiveDateTime) -> (String, String) {
    let stamp = when.format("%Y%m%d_%H%M%S");
    match roles.kind {
        Kind::Legacy => {
            let name = pick(rng, vocab::NAMES).to_string();
            (
                format!("{}_{name}.prompt", when.format("%Y-%m-%d_%H%M%S")),
                name,
            )
        }
        Kind::Comfy => ("comfyui exports".to_string(), "comfyui exports".to_string()),
        Kind::ImagesOnly => {
            let base = vocab::ODD_NAMES[roles.index % vocab::ODD_NAMES.len()];
            let round = roles.index / vocab::ODD_NAMES.len();
            let name = if round == 0 {
                base.to_string()
            } else {
                format!("{base} {}", round + 1)
            };
            (name.clone(), name)
        }
        _ if roles.unicode_name => {
            let drawn = vocab::UNICODE_NAMES.choose(rng);
            let first = vocab::UNICODE_NAMES.first().filter(|_| roles.index == 0);
            let (name, theme, style) = *first.or(drawn).unwrap_or(&("café", "été", "huile"));
            (format!("{stamp}-{name}-{theme}-{style}"), name.to_string())
        }
        _ => {
            let name = if roles.big {
                "batch_massive"
            } else {
                pick(rng, vocab::NAMES)
            };
            let theme = pick(rng, vocab::THEMES);
            let style = pick(rng, vocab::STYLES);
            if roles.no_theme {
                (format!("{stamp}-{name}"), name.to_string())
            } else {
                (format!("{stamp}-{name}-{theme}-{style}"), name.to_string())
            }
        }
    }
}

fn draw_content(
    rng: &mut StdRng,
    spec: &LibrarySpec,
    roles: &Roles,
    i: usize,
    format: Format,
) -> Content {
    if let Some(forced) = roles.forced.get(i) {
        return *forced;
    }
    if roles.kind == Kind::Comfy {
        return Content::Comfy;
    }
    if format == Format::Png && rng.random_range(0..1000) < spec.broken_per_mille {
        return *[Content::ZeroByte, Content::Truncated, Content::TextFile]
            .choose(rng)
            .unwrap_or(&Content::ZeroByte);
    }
    Content::Params
}

fn draw_text_kind(rng: &mut StdRng) -> TextKind {
    match rng.random_range(0..100) {
        0..5 => TextKind::Ztxt,
        5..9 => TextKind::Itxt,
        _ => TextKind::Text,
    }
}

/// Takes `roles.missing` files off the disk (still listed), away from the forced files.
fn mark_missing(rng: &mut StdRng, files: &mut [FilePlan], roles: &Roles) {
    let start = roles.forced.len() + usize::from(roles.odd_chunks) * 2;
    let room = files.len().saturating_sub(start);
    for offset in index::sample(rng, room, roles.missing.min(room)) {
        files[start + offset].on_disk = false;
    }
}

fn unlisted_file(j: usize, count: usize) -> FilePlan {
    let name = if j.is_multiple_of(2) {
        format!("extra_{:04}.PNG", j + 1)
    } else {
        format!("{:04}-upscaled.png", j + 1)
    };
    FilePlan {
        name,
        meta: j % count,
        content: Content::Params,
        format: Format::Png,
        text_kind: TextKind::Text,
        after_idat: false,
        large: false,
        listed: false,
        on_disk: true,
    }
}

fn extension(format: Format, i: usize) -> &'static str {
    match format {
        Format::Png => "png",
        Format::Jpeg if i % 4 == 3 => "jpeg",
        Format::Jpeg => "jpg",
        Format::Webp(_) => "webp",
    }
}

fn timestamp(when: NaiveDateTime, zone: bool) -> String {
    let local = when.format("%Y-%m-%dT%H:%M:%S").to_string();
    match (zone, (4..=10).contains(&when.month())) {
        (false, _) => local,
        (true, true) => format!("{local}+02:00"),
        (true, false) => format!("{local}+01:00"),
    }
}

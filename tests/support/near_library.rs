//! A library with planted near-duplicates: six unrelated scenes and three copies of the
//! first (re-encoded, resized by 5%, a few pixels changed), for the near-duplicate tests.

use std::collections::HashMap;

use sdreview::synth::near_copies::{COPIES, Copy, copy_of, picture, png};

use super::TestLibrary;
use super::session_files::SessionFolder;

pub const SCENES: u64 = 6;

/// Six unrelated scenes, and three copies of the first: `name -> id` once imported.
pub fn planted_library() -> TestLibrary {
    let lib = TestLibrary::empty();
    let session = SessionFolder::create(&lib.root, "2026-12-01_120000_near");
    let parameters = |seed: u64| {
        format!(
            "a harbour, boats\nSteps: 20, Sampler: Euler, Seed: {seed}, Size: 320x480, Model: near"
        )
    };
    for seed in 1..=SCENES {
        let pixels = picture(seed, 320, 480);
        session.write(
            &format!("scene{seed}.png"),
            &png(&pixels, &parameters(seed), false).unwrap(),
        );
    }
    let original = picture(1, 320, 480);
    for (n, copy) in COPIES.iter().enumerate() {
        let name = format!("{copy:?}").to_lowercase();
        let bytes = png(
            &copy_of(&original, *copy),
            &parameters(100 + n as u64),
            *copy == Copy::Reencoded,
        )
        .unwrap();
        session.write(&format!("copy_{name}.png"), &bytes);
    }
    lib.import();
    lib
}

pub fn ids_by_name(lib: &TestLibrary) -> HashMap<String, i64> {
    let conn = &mut lib.pool().get().unwrap();
    use diesel::prelude::*;
    use sdreview::db::schema::images::dsl as i;
    i::images
        .select((i::filename, i::id))
        .load::<(String, i32)>(conn)
        .unwrap()
        .into_iter()
        .map(|(name, id)| (name, i64::from(id)))
        .collect()
}

/// The stored near-duplicate groups: image id -> group id.
pub fn stored_groups(lib: &TestLibrary) -> std::collections::BTreeMap<i64, i64> {
    use diesel::prelude::*;
    use sdreview::db::schema::near_groups::dsl as g;
    let conn = &mut lib.pool().get().unwrap();
    g::near_groups
        .select((g::image_id, g::group_id))
        .load::<(i32, i32)>(conn)
        .unwrap()
        .into_iter()
        .map(|(image, group)| (i64::from(image), i64::from(group)))
        .collect()
}

/// Waits (up to a minute) until the background pass has stored groups that `check` accepts.
pub async fn groups_when(
    lib: &TestLibrary,
    check: impl Fn(&std::collections::BTreeMap<i64, i64>) -> bool,
) -> std::collections::BTreeMap<i64, i64> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let groups = stored_groups(lib);
        if check(&groups) || std::time::Instant::now() > deadline {
            return groups;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The planted group: the first scene and its three copies, smallest id first.
pub fn planted_group(ids: &HashMap<String, i64>) -> Vec<i64> {
    let mut group: Vec<i64> = [
        "scene1.png",
        "copy_reencoded.png",
        "copy_resized.png",
        "copy_dotted.png",
    ]
    .iter()
    .map(|name| ids[*name])
    .collect();
    group.sort_unstable();
    group
}

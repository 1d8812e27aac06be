//! The importer against generated libraries holding every fault of SPEC section 2.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::fs;
use std::time::Duration;

use sdreview::import::{ImportOptions, import_library};
use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};
use support::{TestLibrary, touch_later};

fn parameters_chunk(prompt: &str, seed: i64) -> TextChunk {
    TextChunk {
        kind: TextKind::Text,
        keyword: "parameters".into(),
        text: format!(
            "{prompt}\nNegative prompt: blurry\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: {seed}, Size: 64x96, Model hash: 6ce0161689, Model: sd_v15"
        ),
        after_idat: false,
    }
}

#[test]
fn a_first_import_accounts_for_every_file() {
    let lib = TestLibrary::generated();
    let report = lib.import();
    let e = &lib.expected;
    assert_eq!(report.sessions_found, e.sessions_found);
    assert_eq!(report.sessions_new, e.sessions_found);
    assert_eq!(report.legacy_sessions, e.legacy_sessions);
    assert_eq!(report.manifest_errors, e.manifest_errors);
    assert_eq!(report.images_found, e.images_found);
    assert_eq!(report.images_new, e.images_found);
    assert_eq!(report.images_indexed, e.images_found);
    assert_eq!(report.broken_files, e.broken_files);
    assert_eq!(report.missing_listed, e.missing_listed);
    assert_eq!(report.unlisted_files, e.unlisted_files);
    assert!(report.validation.ok, "{:?}", report.validation);
    assert!(report.backup.is_none(), "an empty database needs no backup");
    assert!(
        e.broken_files > 0 && e.manifest_errors > 0 && e.missing_listed > 0 && e.unlisted_files > 0
    );
    let reported_broken = report
        .problems
        .iter()
        .filter(|p| {
            p.path.ends_with(".png") || p.path.ends_with(".jpg") || p.path.ends_with(".webp")
        })
        .count();
    assert!(
        reported_broken >= e.broken_files,
        "every broken file is named in the problems"
    );
}

#[test]
fn every_parameters_chunk_is_found_even_after_the_image_data() {
    let lib = TestLibrary::generated();
    lib.import();
    let e = &lib.expected;
    assert!(e.parameters_after_idat > 0);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM image_metadata WHERE json_type(metadata, '$.parameters_parsed') = 'object'") as usize,
        e.with_parameters
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images WHERE format = 'jpeg'") as usize,
        e.jpeg_files
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images WHERE format = 'webp'") as usize,
        e.webp_files
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images WHERE json_extract(metadata, '$.png_text.workflow') IS NOT NULL") as usize,
        e.comfyui_files
    );
    // Parsed values sit beside the raw text, and the typed columns are filled.
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM image_metadata WHERE json_type(metadata, '$.parameters_parsed') = 'object' AND json_extract(metadata, '$.parameters_parsed.Steps') IS NULL"),
        0
    );
    assert_eq!(lib.count("SELECT count(*) AS value FROM images WHERE broken IS NULL AND (width IS NULL OR height IS NULL)"), 0);
}

/// A1111 writes a JPEG's or WebP's parameters in an EXIF block that strict readers reject
/// (the Exif IFD has no next-IFD offset); the generated files are laid out exactly that way.
#[test]
fn a1111_jpegs_and_webps_have_their_prompt_seed_and_model_indexed() {
    let lib = TestLibrary::generated();
    lib.import();
    let exif_images = "FROM images i JOIN image_metadata m ON m.id = i.id
        WHERE i.format IN ('jpeg', 'webp') AND i.broken IS NULL";
    let with_parameters = lib.count(&format!(
        "SELECT count(*) AS value {exif_images}
           AND json_type(m.metadata, '$.parameters_parsed') = 'object'"
    ));
    let readable_jpegs = lib.count(&format!(
        "SELECT count(*) AS value {exif_images} AND i.format = 'jpeg'"
    ));
    assert!(readable_jpegs > 0);
    assert!(
        with_parameters >= readable_jpegs,
        "every JPEG has its parameters"
    );
    let complete = lib.count(&format!(
        "SELECT count(*) AS value {exif_images}
           AND json_type(m.metadata, '$.parameters_parsed') = 'object'
           AND i.seed IS NOT NULL AND i.prompt_id IS NOT NULL
           AND json_extract(m.metadata, '$.prompt') != ''
           AND json_extract(m.metadata, '$.parameters_parsed.Model') IS NOT NULL"
    ));
    assert_eq!(complete, with_parameters, "prompt, seed and model of each");
}

#[test]
fn unknown_manifest_fields_are_kept() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(1);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(lib.session_dir(&folder).join("manifest.json")).unwrap())
            .unwrap();
    let stored: serde_json::Value = serde_json::from_str(
        &lib.text(&format!(
            "SELECT metadata AS value FROM sessions WHERE folder_name = '{}'",
            folder.replace('\'', "''")
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        stored["snapshot"], manifest["snapshot"],
        "the whole snapshot is stored as written"
    );
    let entry = &manifest["images"][0];
    let extra: Vec<&String> = entry
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| {
            ![
                "filename",
                "seed",
                "prompt",
                "negative_prompt",
                "applied_variations",
            ]
            .contains(&k.as_str())
        })
        .collect();
    assert!(
        !extra.is_empty(),
        "the generator writes unknown per-image fields"
    );
    let image: serde_json::Value = serde_json::from_str(
        &lib.text(&format!(
            "SELECT m.metadata AS value FROM images i JOIN image_metadata m ON m.id = i.id JOIN sessions s ON s.id = i.session_id WHERE s.folder_name = '{}' AND i.filename = '{}'",
            folder.replace('\'', "''"),
            entry["filename"].as_str().unwrap()
        ))
        .unwrap(),
    )
    .unwrap();
    for key in extra {
        assert_eq!(
            image["manifest"][key], entry[key],
            "unknown field {key} kept"
        );
    }
    assert_eq!(image["variations"], entry["applied_variations"]);
    assert_eq!(image["seed"], entry["seed"]);
}

#[test]
fn an_unchanged_rerun_writes_nothing_and_makes_no_backup() {
    let lib = TestLibrary::generated();
    lib.import();
    let second = lib.import();
    assert_eq!(
        (
            second.sessions_new,
            second.sessions_updated,
            second.images_new,
            second.images_updated
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(second.images_indexed, lib.expected.images_found);
    assert_eq!(
        second.broken_files, lib.expected.broken_files,
        "problems are reported on every run"
    );
    assert!(second.backup.is_none());
    assert!(second.validation.ok);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images") as usize,
        lib.expected.images_found
    );
}

#[test]
fn a_file_rewritten_in_place_is_read_again() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(2);
    let id = lib.count(&format!(
        "SELECT i.id AS value FROM images i JOIN sessions s ON s.id = i.session_id WHERE s.folder_name = '{}' AND i.broken IS NULL AND i.format = 'png' ORDER BY i.filename LIMIT 1",
        folder.replace('\'', "''")
    ));
    let filename = lib
        .text(&format!(
            "SELECT filename AS value FROM images WHERE id = {id}"
        ))
        .unwrap();
    let path = lib.session_dir(&folder).join(&filename);
    fs::write(
        &path,
        png_bytes(64, 96, &[parameters_chunk("a rewritten prompt", 4242)]).unwrap(),
    )
    .unwrap();
    touch_later(&path, 5);
    let report = lib.import();
    assert_eq!(
        (
            report.images_new,
            report.images_updated,
            report.sessions_updated
        ),
        (0, 1, 1)
    );
    assert!(
        report.backup.is_some(),
        "a database in use is backed up before it is written"
    );
    assert_eq!(
        lib.text(&format!("SELECT json_extract(metadata, '$.parameters_parsed.Seed') AS value FROM image_metadata WHERE id = {id}")).as_deref(),
        Some("4242")
    );
    assert_eq!(lib.count(&format!("SELECT count(*) AS value FROM images WHERE id = {id} AND prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH 'rewritten')")), 0,
        "the manifest's prompt still wins over the file's for a listed file");
}

#[test]
fn new_sessions_and_new_images_are_added_incrementally() {
    let lib = TestLibrary::generated();
    lib.import();
    let new_session = lib.root.join("20251231_235959-added later-noir-ink");
    fs::create_dir(&new_session).unwrap();
    for i in 0..3 {
        fs::write(
            new_session.join(format!("{i:05}.png")),
            png_bytes(64, 96, &[parameters_chunk("a lighthouse at dusk", i)]).unwrap(),
        )
        .unwrap();
    }
    let folder = lib.manifest_session(1);
    fs::write(
        lib.session_dir(&folder).join("zz-extra.png"),
        png_bytes(64, 96, &[parameters_chunk("an extra", 7)]).unwrap(),
    )
    .unwrap();
    let report = lib.import();
    assert_eq!(report.sessions_new, 1);
    assert_eq!(report.sessions_updated, 1);
    assert_eq!(report.images_new, 4);
    assert_eq!(report.images_updated, 0, "only the new files are read");
    assert_eq!(report.images_indexed, lib.expected.images_found + 4);
    assert_eq!(report.unlisted_files, lib.expected.unlisted_files + 1);
    assert!(report.validation.ok);
    assert_eq!(
        lib.text("SELECT sampler AS value FROM sessions WHERE folder_name = '20251231_235959-added later-noir-ink'").as_deref(),
        Some("DPM++ 2M"),
        "a session without a manifest takes its facts from its images"
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images WHERE prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH 'lighthouse')"),
        3
    );
    // The search index agrees with the texts it indexes, after a first and an incremental run.
    lib.execute("INSERT INTO prompts_fts (prompts_fts, rank) VALUES ('integrity-check', 1)");
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM prompt_texts"),
        lib.count("SELECT count(*) AS value FROM prompts_fts")
    );
}

#[test]
fn judgements_notes_and_flags_survive_a_reimport() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(1);
    let quoted = folder.replace('\'', "''");
    let image = lib.count(&format!(
        "SELECT i.id AS value FROM images i JOIN sessions s ON s.id = i.session_id WHERE s.folder_name = '{quoted}' AND i.broken IS NULL AND i.format = 'png' ORDER BY i.filename LIMIT 1"
    ));
    lib.execute(&format!(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES ('ada', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, failure_notes, created_at, updated_at)
           VALUES ({image}, 1, 'imperfect', 1, 'ko', 'malformed', 'six fingers', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         UPDATE images SET notes = 'keep me', is_deleted = 1, ml_predictions = '{{\"p\": 0.9}}' WHERE id = {image};
         UPDATE sessions SET display_name = 'My best', notes = 'session notes', is_test = 1, is_starred = 1 WHERE folder_name = '{quoted}';"
    ));
    // Rewrite everything the importer looks at: the manifest and the image itself.
    let filename = lib
        .text(&format!(
            "SELECT filename AS value FROM images WHERE id = {image}"
        ))
        .unwrap();
    let dir = lib.session_dir(&folder);
    fs::write(
        dir.join(&filename),
        png_bytes(64, 96, &[parameters_chunk("redone", 1)]).unwrap(),
    )
    .unwrap();
    touch_later(&dir.join(&filename), 5);
    touch_later(&dir.join("manifest.json"), 5);
    let report = lib.import();
    assert!(report.images_updated >= 1 && report.sessions_updated == 1);
    assert_eq!(
        lib.text(&format!(
            "SELECT failure_notes AS value FROM judgements WHERE image_id = {image}"
        ))
        .as_deref(),
        Some("six fingers")
    );
    assert_eq!(
        lib.text(&format!(
            "SELECT notes AS value FROM images WHERE id = {image}"
        ))
        .as_deref(),
        Some("keep me")
    );
    assert_eq!(
        lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {image}"
        )),
        1
    );
    assert_eq!(
        lib.text(&format!(
            "SELECT ml_predictions AS value FROM images WHERE id = {image}"
        ))
        .as_deref(),
        Some("{\"p\": 0.9}")
    );
    assert_eq!(lib.text(&format!("SELECT display_name || '|' || notes AS value FROM sessions WHERE folder_name = '{quoted}'")).as_deref(), Some("My best|session notes"));
    assert_eq!(
        lib.count(&format!(
            "SELECT is_test + is_starred AS value FROM sessions WHERE folder_name = '{quoted}'"
        )),
        2
    );
}

#[test]
fn a_vanished_session_keeps_its_rows_and_is_reported() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(1);
    let images = lib.count(&format!(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id WHERE s.folder_name = '{}'",
        folder.replace('\'', "''")
    ));
    fs::remove_dir_all(lib.session_dir(&folder)).unwrap();
    let report = lib.import();
    assert_eq!(report.sessions_vanished, 1);
    assert_eq!(report.images_vanished as i64, images);
    assert_eq!(report.sessions_found, lib.expected.sessions_found - 1);
    assert!(report.validation.ok);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM sessions") as usize,
        lib.expected.sessions_found,
        "the row stays"
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM sessions WHERE NOT on_disk"),
        1
    );
}

#[test]
fn an_invalid_manifest_falls_back_to_the_png_text() {
    let lib = TestLibrary::generated();
    let report = lib.import();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.path.ends_with("manifest.json") && p.reason.starts_with("invalid manifest"))
    );
    let without_prompt = lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
          JOIN image_metadata m ON m.id = i.id
          WHERE s.manifest_error IS NOT NULL AND i.broken IS NULL AND json_extract(m.metadata, '$.prompt') IS NULL",
    );
    assert_eq!(
        without_prompt, 0,
        "images of a session with a broken manifest take their prompt from the PNG"
    );
    assert_eq!(lib.count("SELECT count(*) AS value FROM sessions WHERE manifest_error IS NOT NULL AND sampler IS NULL"), 0);
}

#[test]
fn a_session_being_written_during_the_import_is_taken_in_whole_by_the_next_run() {
    let lib = TestLibrary::generated();
    let live = lib.root.join("20261125_120000-live run-ocean-pastel");
    fs::create_dir(&live).unwrap();
    let writer = {
        let live = live.clone();
        std::thread::spawn(move || {
            for i in 0..40 {
                let bytes = png_bytes(64, 96, &[parameters_chunk("a live run", i)]).unwrap();
                let path = live.join(format!("{i:05}.png"));
                // Written in two halves, as a slow writer would.
                fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
                fs::write(&path, &bytes).unwrap();
            }
        })
    };
    let during = lib.import();
    writer.join().unwrap();
    assert!(during.sessions_found >= lib.expected.sessions_found);
    let after = lib.import();
    assert!(after.validation.ok, "{:?}", after.validation);
    assert_eq!(after.images_indexed, lib.expected.images_found + 40);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id WHERE s.folder_name = '20261125_120000-live run-ocean-pastel' AND i.broken IS NULL"),
        40
    );
}

#[test]
fn an_empty_library_imports_to_an_empty_database() {
    let lib = TestLibrary::empty();
    let report = lib.import();
    assert_eq!((report.sessions_found, report.images_found), (0, 0));
    assert!(report.validation.ok);
}

/// The stored form is compact (prompts once, shared parameters once per session), and loses
/// nothing: every image's A1111 text comes back byte for byte.
#[test]
fn every_parameters_text_comes_back_exactly_from_the_database() {
    use sdreview::db::ids::ImageId;
    use sdreview::db::image_metadata::full_metadata;
    use sdreview::library::probe::probe_file;

    let lib = TestLibrary::generated();
    lib.import();
    let pool = lib.pool();
    let mut conn = pool.get().unwrap();
    let rows: Vec<(i32, String, String)> = {
        use diesel::prelude::*;
        use sdreview::db::schema::{images, sessions};
        images::table
            .inner_join(sessions::table)
            .filter(images::broken.is_null())
            .select((images::id, sessions::folder_name, images::filename))
            .load(&mut *conn)
            .unwrap()
    };
    let mut checked = 0;
    for (id, folder, filename) in rows {
        let probe = probe_file(&lib.session_dir(&folder).join(&filename)).unwrap();
        let Some((_, raw)) = probe.texts.iter().find(|(k, _)| k == "parameters") else {
            continue;
        };
        let full = full_metadata(&mut conn, ImageId(id)).unwrap().unwrap();
        assert_eq!(
            full["parameters"].as_str(),
            Some(raw.as_str()),
            "{folder}/{filename}"
        );
        checked += 1;
    }
    assert_eq!(checked, lib.expected.with_parameters);
    let verbatim = lib.count(
        "SELECT count(*) AS value FROM images WHERE json_type(metadata, '$.parameters') = 'text'",
    );
    assert!(
        (verbatim as usize) < checked / 10,
        "most texts are rebuilt, not stored: {verbatim} of {checked}"
    );
}

#[test]
fn two_imports_at_once_take_turns_instead_of_racing() {
    let lib = TestLibrary::generated();
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(|| lib.import());
        let b = scope.spawn(|| lib.import());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(
        first.images_new + second.images_new,
        lib.expected.images_found
    );
    assert!(first.validation.ok && second.validation.ok);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images") as usize,
        lib.expected.images_found
    );
}

#[test]
fn a_text_bomb_is_imported_cut_and_reported_without_stopping_the_run() {
    let lib = TestLibrary::generated();
    let hostile = lib.root.join("20261126_090000-hostile");
    fs::create_dir(&hostile).unwrap();
    let carrier = "a bomb carrier\nNegative prompt: blurry\nSteps: 30, Sampler: Euler, CFG scale: 7, Seed: 9, Size: 8x8";
    let bomb = sdreview::synth::png_file::text_bomb_png(carrier, 16, 64 << 20).unwrap();
    fs::write(hostile.join("00000-bomb.png"), &bomb).unwrap();
    for i in 1..4 {
        let bytes = png_bytes(64, 96, &[parameters_chunk("a calm sea", i)]).unwrap();
        fs::write(hostile.join(format!("{i:05}.png")), bytes).unwrap();
    }

    let report = lib.import();
    assert!(report.validation.ok, "{:?}", report.validation);
    assert_eq!(report.images_indexed, lib.expected.images_found + 4);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.path.ends_with("00000-bomb.png")
                && p.reason.starts_with("text cut: chunk \"bomb\" and 15 more")),
        "{:?}",
        report.problems
    );
    let bomb_row = "SELECT i.id AS value FROM images i JOIN sessions s ON s.id = i.session_id
                     WHERE s.folder_name = '20261126_090000-hostile' AND i.filename = '00000-bomb.png'";
    let id = lib.count(bomb_row);
    assert_eq!(
        lib.text(&format!(
            "SELECT json_extract(metadata, '$.prompt') AS value FROM image_metadata WHERE id = {id}"
        ))
        .as_deref(),
        Some("a bomb carrier"),
        "the real text is kept"
    );
    assert!(
        lib.text(&format!(
            "SELECT json_extract(metadata, '$.text_cut') AS value FROM images WHERE id = {id}"
        ))
        .is_some()
    );
    assert!(
        lib.count(&format!(
            "SELECT length(metadata) AS value FROM images WHERE id = {id}"
        )) < 4 << 20
    );
    assert!(lib.import().validation.ok, "a re-run is fine too");
}

/// Sessions whose images hold a lot of text are written in parts; the session's facts come
/// from its first image with parameters even when that one arrives in a later part.
#[test]
fn a_session_written_in_parts_loses_nothing() {
    let lib = TestLibrary::empty();
    let heavy = lib.root.join("20261126_100000-heavy");
    fs::create_dir(&heavy).unwrap();
    let workflow = format!("{{\"nodes\": \"{}\"}}", "n".repeat(200_000));
    for i in 0..40 {
        let chunk = if i < 32 {
            TextChunk {
                kind: TextKind::Text,
                keyword: "workflow".into(),
                text: workflow.clone(),
                after_idat: false,
            }
        } else {
            parameters_chunk("a heavy session", i)
        };
        fs::write(
            heavy.join(format!("{i:05}.png")),
            png_bytes(64, 96, &[chunk]).unwrap(),
        )
        .unwrap();
    }
    let report = lib.import();
    assert!(report.validation.ok, "{:?}", report.validation);
    assert_eq!((report.sessions_new, report.images_new), (1, 40));
    assert_eq!(
        lib.text("SELECT sampler AS value FROM sessions").as_deref(),
        Some("DPM++ 2M"),
        "facts from the first image with parameters, read in the second part"
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images WHERE json_extract(metadata, '$.png_text.workflow') IS NOT NULL"),
        32
    );
    assert_eq!(
        lib.text("SELECT json_extract(metadata, '$.parameters_parsed.Seed') AS value FROM image_metadata WHERE json_extract(metadata, '$.prompt') = 'a heavy session' ORDER BY id DESC LIMIT 1").as_deref(),
        Some("39")
    );
}

#[test]
fn a_library_folder_that_cannot_be_read_is_refused_and_nothing_is_marked_gone() {
    let lib = TestLibrary::generated();
    lib.import();
    let on_disk = "SELECT count(*) AS value FROM images WHERE on_disk";
    let before = lib.count(on_disk);
    let away = lib.root.with_file_name("share-not-mounted");
    fs::rename(&lib.root, &away).unwrap();

    let refused = import_library(
        &lib.db,
        &lib.pool(),
        &lib.root,
        ImportOptions {
            progress: false,
            backup: true,
            read_delay: Duration::ZERO,
        },
    )
    .unwrap_err();
    let said = sdreview::error::error_chain(&refused);
    assert!(
        said.contains("cannot be read, so nothing was marked gone")
            && said.contains("No such file"),
        "{said}"
    );
    assert_eq!(lib.count(on_disk), before);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM sessions WHERE NOT on_disk"),
        0
    );

    fs::rename(&away, &lib.root).unwrap();
    let report = lib.import();
    assert!(!report.changed_anything() && report.validation.ok);
}

#[test]
fn a_session_folder_that_cannot_be_read_is_kept_as_it_was_and_reported() {
    use std::os::unix::fs::PermissionsExt;
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(1);
    let quoted = folder.replace('\'', "''");
    let images_of_folder = format!(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
          WHERE s.folder_name = '{quoted}' AND i.on_disk AND s.on_disk"
    );
    let images = lib.count(&images_of_folder);
    assert!(images > 0);
    let dir = lib.session_dir(&folder);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&dir).is_ok() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: this user reads a folder of mode 000 all the same (root)");
        return;
    }
    let output = lib.sdreview(&["import", "--json"]);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();

    assert!(output.status.success(), "{}", support::stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&support::stdout(&output)).unwrap();
    assert_eq!(report["sessions_vanished"], 0, "{report}");
    assert_eq!(report["images_vanished"], 0);
    let said = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == folder.as_str())
        .map(|p| p["reason"].as_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(said.contains("cannot read the session folder"), "{report}");
    assert_eq!(
        lib.count(&images_of_folder),
        images,
        "nothing of it is gone"
    );
}

#[test]
fn an_import_that_fails_part_way_is_recorded_with_what_it_committed() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    use sdreview::import::reach::LibraryReach;
    use sdreview::import::record::{Importer, RunKind};
    use support::session_files::SessionFolder;
    let lib = TestLibrary::empty();
    let png = |seed| png_bytes(64, 64, &[parameters_chunk("a lighthouse", seed)]).unwrap();
    for n in 0..4 {
        let session = SessionFolder::create(&lib.root, &format!("20261201_09000{n}-quick"));
        session.write("00001.png", &png(n));
    }
    // Ten slow files: read last, when another program holds the database.
    let slow = SessionFolder::create(&lib.root, "20261201_090009-slow");
    for n in 0..10 {
        slow.write(&format!("{n:05}.png"), &png(n));
    }
    let pool = lib.pool();
    let importing = std::thread::spawn({
        let (db, root, pool) = (lib.db.clone(), lib.root.clone(), pool.clone());
        move || {
            let importer = Importer {
                db_path: &db,
                pool: &pool,
                root: &root,
                reach: &LibraryReach::default(),
            };
            let options = ImportOptions {
                progress: false,
                backup: false,
                read_delay: Duration::from_millis(300),
            };
            importer
                .run(
                    RunKind::Cli,
                    sdreview::import::Scope::Library,
                    options,
                    None,
                )
                .is_err()
        }
    });
    let quick_ones_in = || lib.count("SELECT count(*) AS value FROM sessions") >= 4;
    let started = std::time::Instant::now();
    while !quick_ones_in() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(quick_ones_in());
    // Another program keeps the database's write lock for longer than sdreview waits for it
    // (5 s), then lets go before the failed run is recorded.
    let mut other = diesel::SqliteConnection::establish(lib.db.to_str().unwrap()).unwrap();
    other.batch_execute("BEGIN EXCLUSIVE").unwrap();
    std::thread::sleep(Duration::from_secs(7));
    other.batch_execute("ROLLBACK").unwrap();
    assert!(importing.join().unwrap(), "the import failed");

    let sessions = lib.count("SELECT count(*) AS value FROM sessions");
    let images = lib.count("SELECT count(*) AS value FROM images");
    assert!(
        sessions >= 4 && images >= 4,
        "the quick sessions were committed"
    );
    let recorded = |column: &str| {
        lib.count(&format!(
            "SELECT {column} AS value FROM import_runs ORDER BY id DESC LIMIT 1"
        ))
    };
    assert_eq!(recorded("error IS NOT NULL"), 1);
    assert_eq!(recorded("sessions_found"), 5);
    assert_eq!(recorded("images_found"), 14);
    assert_eq!(recorded("sessions_new"), sessions, "what was committed");
    assert_eq!(recorded("images_new"), images);
}

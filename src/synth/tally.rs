//! The counts an importer must find, derived from the plan alone.

use super::Expected;
use super::plan::{Content, Format, Kind, SessionPlan};

pub(crate) fn tally(plans: &[SessionPlan]) -> Expected {
    let mut expected = Expected::default();
    for session in plans {
        expected.sessions_found += 1;
        if !session.has_manifest_file() {
            expected.legacy_sessions += 1;
        }
        if matches!(session.kind, Kind::InvalidManifest(_)) {
            expected.manifest_errors += 1;
        }
        let valid_manifest = session.has_valid_manifest();
        for file in &session.files {
            if !file.on_disk {
                if valid_manifest && file.listed {
                    expected.missing_listed += 1;
                }
                continue;
            }
            expected.images_found += 1;
            if valid_manifest && !file.listed {
                expected.unlisted_files += 1;
            }
            match file.format {
                Format::Jpeg => expected.jpeg_files += 1,
                Format::Webp(_) => expected.webp_files += 1,
                Format::Png => {}
            }
            if file.is_broken() {
                expected.broken_files += 1;
                continue;
            }
            match (file.content, file.format) {
                (Content::Comfy, _) => expected.comfyui_files += 1,
                (_, Format::Webp(false)) => {}
                (_, Format::Png) => {
                    expected.with_parameters += 1;
                    expected.parameters_after_idat += usize::from(file.after_idat);
                }
                _ => expected.with_parameters += 1,
            }
        }
    }
    expected
}

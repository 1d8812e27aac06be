//! Which session folders a file-system event concerns. Only the library root and the folders
//! being written are watched, so an event's path is a folder of the root or a file in one.

use std::path::Path;

use notify::event::{AccessKind, AccessMode, Event, EventKind, ModifyKind};

/// The session folders (names under the root) that `event` says changed. Hidden folders are
/// other programs' work in progress: they count once renamed to their final name.
pub fn folders_touched(root: &Path, event: &Event) -> Vec<String> {
    if !is_a_change(&event.kind) {
        return Vec::new();
    }
    let mut folders: Vec<String> = event
        .paths
        .iter()
        .filter_map(|path| folder_of(root, path))
        .collect();
    folders.dedup();
    folders
}

/// Reads (ours, by the import, among them) and opens change nothing; a write that closes
/// does, as it may be the last event a finished file sends.
fn is_a_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

fn folder_of(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let first = relative.components().next()?;
    let name = first.as_os_str().to_str()?;
    (!name.starts_with('.')).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use notify::event::{CreateKind, RenameMode};

    use super::*;

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        let mut event = Event::new(kind);
        for path in paths {
            event = event.add_path(path.into());
        }
        event
    }

    #[test]
    fn a_file_written_in_a_folder_touches_that_folder() {
        let e = event(EventKind::Create(CreateKind::File), &["/lib/s1/00001.png"]);
        assert_eq!(folders_touched(Path::new("/lib"), &e), ["s1"]);
    }

    #[test]
    fn a_temporary_file_renamed_into_place_touches_its_folder_once() {
        let e = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/lib/s1/00001.png.tmp", "/lib/s1/00001.png"],
        );
        assert_eq!(folders_touched(Path::new("/lib"), &e), ["s1"]);
    }

    #[test]
    fn a_folder_renamed_touches_both_names_and_hidden_ones_are_left_out() {
        let e = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/lib/.partial", "/lib/old", "/lib/new"],
        );
        assert_eq!(folders_touched(Path::new("/lib"), &e), ["old", "new"]);
    }

    #[test]
    fn reads_and_events_outside_the_library_touch_nothing() {
        let read = event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            &["/lib/s1/00001.png"],
        );
        assert!(folders_touched(Path::new("/lib"), &read).is_empty());
        let closed_after_reading = event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &["/lib/s1/00001.png"],
        );
        assert!(folders_touched(Path::new("/lib"), &closed_after_reading).is_empty());
        let elsewhere = event(
            EventKind::Create(CreateKind::File),
            &["/other/x.png", "/lib"],
        );
        assert!(folders_touched(Path::new("/lib"), &elsewhere).is_empty());
    }
}

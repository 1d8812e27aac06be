//! A whole-library import in the background: at start, and from "Rescan now" or the API.

use crate::import::ImportOptions;
use crate::import::Scope;
use crate::import::reach::Offline;
use crate::import::record::{Importer, RunKind};
use crate::library::scan::confirm_root;
use crate::web::AppState;

/// What asking for a rescan did.
pub enum Rescan {
    Started,
    /// One is running already: the caller points at its progress instead.
    AlreadyRunning,
    /// The library folder cannot be read: a rescan would find nothing, and mark nothing gone.
    Offline(Offline),
}

/// Starts a whole-library import on its own thread, unless one is running or the library
/// folder cannot be read now.
pub fn spawn(state: &AppState, kind: RunKind) -> Rescan {
    if let Err(error) = confirm_root(&state.library_root) {
        state
            .library
            .unreadable(&state.library_root, error.to_string());
        if let Some(offline) = state.library.current() {
            return Rescan::Offline(offline);
        }
    }
    let Some(running) = state.import.begin() else {
        return Rescan::AlreadyRunning;
    };
    let state = state.clone();
    std::thread::spawn(move || {
        let importer = Importer {
            db_path: &state.db_path,
            pool: &state.pool,
            root: &state.library_root,
            reach: &state.library,
        };
        let options = ImportOptions {
            progress: false,
            backup: true,
            read_delay: std::time::Duration::ZERO,
        };
        match importer.run(kind, Scope::Library, options, Some(running.progress())) {
            Ok(report) => tracing::info!("library imported ({}):\n{report}", kind.as_str()),
            Err(error) => {
                let text = crate::error::error_chain(&error);
                tracing::error!("the background import failed: {text}");
                running.failed(text);
            }
        }
    });
    Rescan::Started
}

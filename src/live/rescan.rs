//! A whole-library import in the background: at start, and from "Rescan now" or the API.

use crate::import::ImportOptions;
use crate::import::Scope;
use crate::import::record::{Importer, RunKind};
use crate::web::AppState;

/// Starts a whole-library import on its own thread; false when one is already running (the
/// caller then points at its progress instead).
pub fn spawn(state: &AppState, kind: RunKind) -> bool {
    let Some(running) = state.import.begin() else {
        return false;
    };
    let state = state.clone();
    std::thread::spawn(move || {
        let importer = Importer {
            db_path: &state.db_path,
            pool: &state.pool,
            root: &state.library_root,
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
    true
}

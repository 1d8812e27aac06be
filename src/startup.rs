//! Builds the web application, so that `sdreview serve` and the tests start the very same app.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};

use crate::config::Paths;
use crate::db::Pool;
use crate::error::{AppError, AppResult};
use crate::import::{ImportOptions, import_library};
use crate::thumbs::ThumbnailCache;
use crate::web::error_response::bad_request;
use crate::web::identity_cache::{self, IdentityCache};
use crate::web::state::ImportStatus;
use crate::web::{AppState, headers};

/// Request bodies are small forms and JSON; anything bigger is refused before it is read.
const FORM_LIMIT: usize = 64 * 1024;
const JSON_LIMIT: usize = 1024 * 1024;
const BLOCKING_THREADS: usize = 8;

#[derive(Debug, Clone)]
pub struct Settings {
    pub paths: Paths,
    pub bind: String,
    /// Import the library in the background once the server listens.
    pub import_on_start: bool,
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    db_path: PathBuf,
    import_on_start: bool,
}

impl Application {
    pub fn build(settings: &Settings) -> AppResult<Application> {
        let library_root = settings.paths.library_root()?;
        let library_root = library_root
            .canonicalize()
            .map_err(|e| AppError::io("cannot resolve the library folder", &library_root, e))?;
        let db_path = settings.paths.database()?;
        let pool = crate::db::open(&db_path)?;
        let listener = TcpListener::bind(&settings.bind).map_err(|e| {
            AppError::Config(format!(
                "cannot listen on {} ({e}): is another server running? Pass --bind ADDRESS:PORT",
                settings.bind
            ))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| AppError::io("cannot read the listening address", &db_path, e))?
            .port();
        let state = web::Data::new(AppState {
            pool,
            library_root,
            thumbnails: Arc::new(ThumbnailCache::new(thumbnail_dir(&db_path))),
            sign_in_limits: Arc::default(),
            tokens: Arc::new(IdentityCache::new(identity_cache::TOKEN_TTL)),
            sign_ins: Arc::new(IdentityCache::new(identity_cache::SIGN_IN_TTL)),
            import: Arc::default(),
            stats: Arc::default(),
        });
        let server = serve(listener, state.clone())?;
        Ok(Application {
            port,
            server,
            state,
            db_path,
            import_on_start: settings.import_on_start,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> Pool {
        self.state.pool.clone()
    }

    /// Serves until Ctrl+C (or SIGTERM); the background import, if any, runs meanwhile.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if self.import_on_start {
            spawn_import(self.db_path.clone(), self.state.get_ref().clone());
        }
        self.server.await
    }
}

/// Thumbnails live beside the database: `metadata.db` gets `metadata.thumbs/`.
pub fn thumbnail_dir(db_path: &std::path::Path) -> PathBuf {
    db_path.with_extension("thumbs")
}

fn serve(listener: TcpListener, state: web::Data<AppState>) -> AppResult<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT)
                    .error_handler(|err, _| {
                        bad_request(format!("the form is not acceptable: {err}"))
                    }),
            )
            .app_data(
                web::JsonConfig::default()
                    .limit(JSON_LIMIT)
                    .error_handler(|err, _| crate::web::error_response::payload_error(err)),
            )
            .app_data(web::PayloadConfig::default().limit(JSON_LIMIT))
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                bad_request(format!(
                    "the address has a parameter that is not understood: {err}"
                ))
            }))
            .app_data(web::PathConfig::default().error_handler(|err, _| {
                bad_request(format!("the address is not understood: {err}"))
            }))
            .wrap(headers::security_headers())
            .wrap(actix_web::middleware::Compress::default())
            .configure(crate::routes::configure)
    })
    .on_connect(|connection, _| {
        // Without this, a response written in two parts waits on the client's delayed ACK:
        // a steady 40 ms on every keep-alive request.
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = tcp.set_nodelay(true);
        }
    })
    .listen(listener)
    .map_err(|e| AppError::Config(format!("cannot start the server: {e}")))?
    .shutdown_timeout(5)
    // Database work runs on blocking threads; a few per worker keep the cores busy, while
    // hundreds would only take turns on them.
    .worker_max_blocking_threads(BLOCKING_THREADS)
    .run();
    Ok(server)
}

fn spawn_import(db_path: PathBuf, state: AppState) {
    let status: Arc<ImportStatus> = state.import.clone();
    status.running.store(true, Ordering::Relaxed);
    std::thread::spawn(move || {
        let options = ImportOptions {
            progress: false,
            backup: true,
            read_delay: std::time::Duration::ZERO,
        };
        match import_library(&db_path, &state.pool, &state.library_root, options) {
            Ok(report) => tracing::info!("library imported:\n{report}"),
            Err(error) => {
                let text = crate::error::error_chain(&error);
                tracing::error!("the background import failed: {text}");
                if let Ok(mut last) = status.last_error.lock() {
                    *last = Some(text);
                }
            }
        }
        status.running.store(false, Ordering::Relaxed);
    });
}

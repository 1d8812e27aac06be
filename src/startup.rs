//! Builds the web application, so that `sdreview serve` and the tests start the very same app.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::QueryPayloadError;
use actix_web::{App, HttpServer, web};

use crate::web::tls::TlsSource;

use crate::background::Running;
use crate::config::Paths;
use crate::db::Pool;
use crate::db::server_lock::ServerLock;
use crate::error::{AppError, AppResult};
use crate::import::record::RunKind;
use crate::live::WatchSettings;
use crate::predict::background::PredictSettings;
use crate::similar::pass::PassSettings;
use crate::thumbs::ThumbnailCache;
use crate::web::error_response::bad_request;
use crate::web::identity_cache::{self, IdentityCache};
use crate::web::{AppState, headers};

/// Request bodies are small forms and JSON; anything bigger is refused before it is read.
const FORM_LIMIT: usize = 64 * 1024;
const JSON_LIMIT: usize = 1024 * 1024;
/// Blocking threads per worker (one worker per core). Every page reads SQLite, whose bundled
/// build keeps all connections' cached pages behind one lock: eight threads a core queued on
/// that lock (the sessions page by KO rate: 1,250 requests/s, p99 27 ms; with three,
/// 1,400/s and 23 ms; a rating no slower). Two did as well, but a slow request (the first
/// thumbnail of a large picture) then holds half of a worker's threads.
const BLOCKING_THREADS: usize = 3;

#[derive(Debug, Clone)]
pub struct Settings {
    pub paths: Paths,
    pub bind: String,
    /// Import the library in the background once the server listens.
    pub import_on_start: bool,
    /// A reverse proxy in front sets `Forwarded` / `X-Forwarded-*`: believe those headers
    /// for the client's address and the host it asked for. Off, anyone could forge them.
    pub behind_proxy: bool,
    /// Watch the library for new sessions; None: `serve --no-watch`.
    pub watch: Option<WatchSettings>,
    /// Hash images for near-duplicates in the background; None: `serve --no-hash`.
    pub hashing: Option<PassSettings>,
    /// Keep the KO predictor trained and every image scored; None: `serve --no-predict`.
    pub predicting: Option<PredictSettings>,
    /// Serve HTTPS: `serve --tls-cert/--tls-key` or `--tls-self-signed`; None: plain HTTP.
    pub tls: Option<TlsSource>,
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    import_on_start: bool,
    /// Keeps `restore` from replacing the database under the running server.
    server_lock: ServerLock,
    watching: Option<crate::live::Watching>,
    hashing: Option<Running>,
    predicting: Option<Running>,
    /// The certificate's fingerprint, and for a self-signed one its names and whether it was
    /// made at this start.
    tls: Option<crate::web::tls::Presented>,
}

impl Application {
    pub fn build(settings: &Settings) -> AppResult<Application> {
        let library_root = settings.paths.library_root()?;
        let library_root = library_root
            .canonicalize()
            .map_err(|e| AppError::io("cannot resolve the library folder", &library_root, e))?;
        let db_path = settings.paths.database()?;
        let server_lock = ServerLock::hold(&db_path)?;
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
            bearer_limits: Arc::default(),
            behind_proxy: settings.behind_proxy,
            tokens: Arc::new(IdentityCache::new(identity_cache::TTL)),
            sign_ins: Arc::new(IdentityCache::new(identity_cache::TTL)),
            sign_in_uses: Arc::default(),
            import: Arc::default(),
            library: Arc::default(),
            db_path: db_path.clone(),
            stats: Arc::default(),
            pictures: Arc::default(),
            stats_bodies: Arc::default(),
            exports: Arc::default(),
            similar: Arc::default(),
            predictor: Arc::default(),
            admin_notes: Arc::default(),
        });
        let tls = settings
            .tls
            .as_ref()
            .map(|source| crate::web::tls::load(source, &db_path))
            .transpose()?;
        let told = tls.as_ref().map(|tls| tls.presented.clone());
        let server = serve(listener, state.clone(), tls.map(|tls| tls.config))?;
        // Watching starts here rather than when the server is first polled, so that a folder
        // written once `build` returns is seen; the import at start comes after, so a folder
        // written before is seen by it.
        let watching = settings.watch.clone().map(|watch| {
            let target = crate::live::Target {
                db_path: db_path.clone(),
                pool: state.pool.clone(),
                root: state.library_root.clone(),
                reach: state.library.clone(),
            };
            crate::live::spawn(target, watch)
        });
        let hashing = match settings.hashing.clone() {
            Some(pass) => Some(crate::similar::pass::spawn(
                crate::similar::pass::Target {
                    db_path: db_path.clone(),
                    root: state.library_root.clone(),
                    thumbnails: state.thumbnails.clone(),
                    similar: state.similar.clone(),
                },
                pass,
            )?),
            None => None,
        };
        let predicting = match settings.predicting.clone() {
            Some(predict) => Some(crate::predict::background::spawn(
                db_path.clone(),
                state.predictor.clone(),
                predict,
            )?),
            None => None,
        };
        Ok(Application {
            port,
            server,
            state,
            import_on_start: settings.import_on_start,
            server_lock,
            watching,
            hashing,
            predicting,
            tls: told,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// For the start banner: the certificate's SHA-256, and for a self-signed one the names it
    /// covers and whether it is new.
    pub fn tls(&self) -> Option<&crate::web::tls::Presented> {
        self.tls.as_ref()
    }

    pub fn pool(&self) -> Pool {
        self.state.pool.clone()
    }

    /// Serves until Ctrl+C (or SIGTERM); the background import and the watcher, if any, run
    /// meanwhile. The watcher stops with the server.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Held until the server stops: dropping it stops the watcher.
        let _watching = self.watching;
        let _hashing = self.hashing;
        let _predicting = self.predicting;
        if self.import_on_start {
            crate::live::rescan::spawn(&self.state, RunKind::Start);
        }
        let _held_until_stopped = self.server_lock;
        let pool = self.state.pool.clone();
        let stopped = self.server.await;
        checkpoint_on_stop(&pool);
        stopped
    }
}

/// A clean stop folds the write-ahead log into the database file and empties it, so the file
/// alone holds every rating (someone may copy just `metadata.db`; `sdreview backup` is still
/// the safe copy). A failure is logged: the log itself is intact and SQLite replays it.
fn checkpoint_on_stop(pool: &crate::db::Pool) {
    use diesel::connection::SimpleConnection;
    let folded = pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut conn| Ok(conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?));
    match folded {
        Ok(()) => tracing::info!("stopped: the write-ahead log is folded into the database"),
        Err(error) => tracing::warn!(
            "stopped, but the write-ahead log could not be folded into the database: {}",
            crate::error::error_chain(&error)
        ),
    }
}

/// Thumbnails live beside the database: `metadata.db` gets `metadata.thumbs/`.
pub fn thumbnail_dir(db_path: &std::path::Path) -> PathBuf {
    db_path.with_extension("thumbs")
}

fn serve(
    listener: TcpListener,
    state: web::Data<AppState>,
    tls: Option<rustls::ServerConfig>,
) -> AppResult<Server> {
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
                // serde's own words name an unknown parameter and list the ones the page
                // takes (`#[serde(deny_unknown_fields)]` on each query type).
                let reason = match err {
                    QueryPayloadError::Deserialize(reason) => reason.to_string(),
                    other => other.to_string(),
                };
                bad_request(format!(
                    "the address has a parameter that is not understood: {reason}"
                ))
            }))
            .app_data(web::PathConfig::default().error_handler(|err, _| {
                bad_request(format!("the address is not understood: {err}"))
            }))
            .wrap(actix_web::middleware::from_fn(|req, next| {
                crate::web::form_csrf::read_form_token(FORM_LIMIT, req, next)
            }))
            .wrap(headers::security_headers())
            .wrap(actix_web::middleware::from_fn(
                crate::web::small_plain::mark,
            ))
            .wrap(actix_web::middleware::Compress::default())
            .wrap(actix_web::middleware::from_fn(
                crate::web::small_plain::unmark,
            ))
            .configure(crate::routes::configure)
    })
    .on_connect(|connection, _| {
        // Without this, a response written in two parts waits on the client's delayed ACK:
        // a steady 40 ms on every keep-alive request.
        type TlsStream = actix_tls::accept::rustls_0_23::TlsStream<actix_web::rt::net::TcpStream>;
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = tcp.set_nodelay(true);
        } else if let Some(tls) = connection.downcast_ref::<TlsStream>() {
            let _ = tls.get_ref().0.set_nodelay(true);
        }
    });
    let server = match tls {
        Some(config) => server.listen_rustls_0_23(listener, config),
        None => server.listen(listener),
    };
    let server = server
        .map_err(|e| AppError::Config(format!("cannot start the server: {e}")))?
        .shutdown_timeout(5)
        // Database work runs on blocking threads; a few per worker keep the cores busy, while
        // hundreds would only take turns on them.
        .worker_max_blocking_threads(BLOCKING_THREADS)
        .run();
    Ok(server)
}

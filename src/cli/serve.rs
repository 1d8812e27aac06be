use crate::config::Paths;
use crate::error::{AppError, AppResult};
use crate::live::WatchSettings;
use crate::startup::{Application, Settings};
use crate::web::tls::TlsSource;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; the default reaches every device on the LAN.
    #[arg(long, env = "SDREVIEW_BIND", default_value = "0.0.0.0:8080")]
    bind: String,
    /// Do not import the library in the background at start.
    #[arg(long)]
    no_import: bool,
    /// sdreview runs behind a reverse proxy that sets `Forwarded` or `X-Forwarded-For` and
    /// `X-Forwarded-Host`: believe them. Leave off when clients reach sdreview directly.
    #[arg(
        long,
        env = "SDREVIEW_BEHIND_PROXY",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    behind_proxy: bool,
    /// Do not watch the library: new sessions then appear only through `sdreview register`,
    /// `sdreview import` or "Rescan now".
    #[arg(long)]
    no_watch: bool,
    /// Check the whole library for changes the watcher missed this often, in minutes (0: never).
    #[arg(long, env = "SDREVIEW_RECONCILE_MINUTES", default_value_t = 5)]
    reconcile_minutes: u64,
    /// Watch the library by polling rather than by file-system events (network shares are
    /// detected and polled anyway).
    #[arg(long)]
    poll: bool,
    /// Do not hash images for near-duplicates in the background (`sdreview hash` still can).
    #[arg(long)]
    no_hash: bool,
    /// Do not train the KO predictor or score new images in the background (`sdreview
    /// predict` still can).
    #[arg(long)]
    no_predict: bool,
    /// Serve HTTPS with this certificate (PEM; the chain, leaf first). Needs --tls-key.
    #[arg(
        long,
        env = "SDREVIEW_TLS_CERT",
        requires = "tls_key",
        conflicts_with = "tls_self_signed"
    )]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, env = "SDREVIEW_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// Serve HTTPS with a certificate made for this machine's LAN names and addresses, kept
    /// beside the database (`<db>.tls-cert.pem`) and made again only when an address is new.
    /// Phones show a warning the first time: check the fingerprint printed at start.
    #[arg(long, env = "SDREVIEW_TLS_SELF_SIGNED")]
    tls_self_signed: bool,
}

pub fn run(paths: &Paths, args: &ServeArgs) -> AppResult<()> {
    let watch = (!args.no_watch).then(|| WatchSettings {
        reconcile: (args.reconcile_minutes > 0)
            .then(|| std::time::Duration::from_secs(args.reconcile_minutes.saturating_mul(60))),
        force_polling: args.poll,
        ..WatchSettings::default()
    });
    let settings = Settings {
        paths: paths.clone(),
        bind: args.bind.clone(),
        import_on_start: !args.no_import,
        behind_proxy: args.behind_proxy,
        watch,
        hashing: (!args.no_hash).then(crate::similar::pass::PassSettings::default),
        predicting: (!args.no_predict).then(crate::predict::background::PredictSettings::default),
        tls: match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(TlsSource::Files {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => args.tls_self_signed.then_some(TlsSource::SelfSigned),
        },
    };
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(&settings)?;
        if let Some(token) = crate::web::first_admin::ensure(&app.pool())? {
            say(format_args!("First start: created the user `admin`. Sign in with this token (shown only now):"));
            say(format_args!("    {token}"));
        }
        let scheme = if settings.tls.is_some() { "https" } else { "http" };
        print_urls(&settings.bind, app.port(), scheme);
        if let Some(presented) = app.tls() {
            tell_about_certificate(&presented.fingerprint, presented.self_signed.as_ref());
        }
        if !crate::web::assets::has_htmx() {
            tracing::warn!("htmx was not embedded (run `npm ci --prefix static` before building): pages will work without live updates");
        }
        app.run_until_stopped()
            .await
            .map_err(|e| AppError::Config(format!("the server stopped: {e}")))
    })
}

/// A line of the banner, if anyone reads it: a server whose output was closed (`sdreview serve |
/// head -1`) goes on serving (only the commands that end reset SIGPIPE, see main.rs).
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// What a phone will show for the certificate, and how to know it is this one.
fn tell_about_certificate(fingerprint: &str, self_signed: Option<&(Vec<String>, bool)>) {
    say(format_args!("HTTPS certificate SHA-256: {fingerprint}"));
    if let Some((names, made)) = self_signed {
        let when = if *made {
            "made now"
        } else {
            "kept from before"
        };
        say(format_args!(
            "It is self-signed ({when}) for: {}.",
            names.join(", ")
        ));
        say(format_args!(
            "A phone shows \"Your connection is not private\" the first time: tap Advanced (or \
             Show details), check that the certificate's SHA-256 matches the one above, then \
             proceed. Or install the certificate on the phone (docs/deploy.md)."
        ));
    }
}

/// Every address a phone on the LAN can use, not just 0.0.0.0.
fn print_urls(bind: &str, port: u16, scheme: &str) {
    let host = bind.rsplit_once(':').map_or(bind, |(host, _)| host);
    say(format_args!("sdreview is running. Open it at:"));
    if host == "0.0.0.0" || host == "[::]" {
        say(format_args!("    {scheme}://localhost:{port}/"));
        for interface in if_addrs::get_if_addrs().unwrap_or_default() {
            if !interface.is_loopback() && interface.ip().is_ipv4() {
                say(format_args!("    {scheme}://{}:{port}/", interface.ip()));
            }
        }
    } else {
        say(format_args!("    {scheme}://{host}:{port}/"));
    }
    say(format_args!("Press Ctrl+C to stop."));
}

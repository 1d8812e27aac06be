//! `GET /api/export/images?format=csv|jsonl|parquet&<gallery filters>`: a download streamed
//! as it is written. The export runs on a thread of its own, on a database connection of its
//! own, and hands the response 64 KiB chunks through a bounded channel, so memory stays
//! constant, a slow client slows only its own export, and the pool stays free for pages and
//! ratings. Exports running at once are bounded (`web::export_slots`).

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use tokio::sync::{mpsc, oneshot};
use utoipa::ToSchema;

use super::body::require;
use super::error::ApiError;
use crate::db::caller::Caller;
use crate::db::pool::{database_url, establish};
use crate::domain::export_request;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::query_params::QueryParam;
use crate::domain::role::Role;
use crate::domain::stats::rule::KoRule;
use crate::error::error_chain;
use crate::export::columns::export_rule;
use crate::export::{self, Format};
use crate::web::export_slots::{Busy, PER_USER, RETRY_AFTER_SECONDS, TOTAL};
use crate::web::{AppState, Identity};

const CHUNK: usize = 64 * 1024;
/// Chunks waiting for the client at most: 16 x 64 KiB.
const QUEUE: usize = 16;

type Chunk = Result<Bytes, std::io::Error>;

/// The response body: chunks as the export thread sends them.
struct ChannelBody {
    chunks: mpsc::Receiver<Chunk>,
}

impl MessageBody for ChannelBody {
    type Error = std::io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.get_mut().chunks.poll_recv(cx)
    }
}

/// What the exporter writes into: gathered into chunks and sent, waiting while the queue is
/// full. A client that went away closes the channel, which stops the export.
struct ChannelWriter {
    buffer: Vec<u8>,
    chunks: mpsc::Sender<Chunk>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.chunks
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// The export thread: a connection of its own (never one of the pool's, which a slow client
/// would hold for the whole download), one read snapshot for the count and every row. Until
/// the first byte, an error answers the request; after it, the body is cut short, so a client
/// never takes a partial export for a whole one.
fn run(
    url: &str,
    filter: &GalleryFilter,
    caller: Caller,
    format: Format,
    rule: Option<KoRule>,
    ready: oneshot::Sender<Result<u64, ApiError>>,
    chunks: mpsc::Sender<Chunk>,
) {
    let failed = chunks.clone();
    let mut ready = Some(ready);
    let result = establish(url).and_then(|mut conn| {
        export::in_snapshot(&mut conn, filter, caller, |snapshot| {
            snapshot.layout.rule = rule;
            let client_waits = ready
                .take()
                .is_some_and(|ready| ready.send(Ok(snapshot.rows)).is_ok());
            if !client_waits {
                return Ok(0);
            }
            let out = ChannelWriter {
                buffer: Vec::with_capacity(CHUNK),
                chunks,
            };
            snapshot.write(format, out, &mut |_| {})
        })
    });
    if let Err(error) = result {
        match ready.take() {
            Some(ready) => {
                let _ = ready.send(Err(ApiError::from(error)));
            }
            None => {
                tracing::error!("export failed: {}", error_chain(&error));
                let _ = failed.blocking_send(Err(std::io::Error::other("the export failed")));
            }
        }
    }
}

/// A Parquet file, as the document describes the download's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Only its schema is used.
struct ParquetFile(Vec<u8>);

/// What the export takes: its format and the gallery's filters but its order and page.
pub fn query() -> Vec<QueryParam> {
    [&export_request::FORMAT, &export_request::RULE]
        .into_iter()
        .chain(export_request::filter_params())
        .copied()
        .collect()
}

#[utoipa::path(get, path = "/api/export/images", tag = "export", operation_id = "export_images",
    description = "Every image that passes the filters, one row each in id order (docs/export.md \
        lists the columns), as a download streamed while it is written.",
    responses(
        (status = 200, description = "the file, named sdreview-DATE-ROWS.EXT in Content-Disposition",
            content(
                (String = "text/csv"),
                (String = "application/x-ndjson"),
                (ParquetFile = "application/vnd.apache.parquet"),
            )),
        (status = 403, body = ApiError),
        (status = 429, description = "too many exports running: try again after Retry-After seconds", body = ApiError),
    ))]
pub async fn images(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let (mut format, mut rule) = (None, None);
    let mut filters = Vec::new();
    for (key, value) in query.into_inner() {
        if key == export_request::FORMAT.name {
            format = Some(Format::parse(&value).map_err(|e| ApiError::bad("format", e))?);
        } else if key == export_request::RULE.name {
            rule = Some(export_rule(&value).map_err(|e| ApiError::bad("rule", e))?);
        } else {
            filters.push((key, value));
        }
    }
    let format = format
        .ok_or_else(|| ApiError::bad("format", format!("choose a format: {}", Format::NAMES)))?;
    let filter = export_request::filter(&filters)?;
    if filter.deleted {
        require(&identity, Role::Admin)?;
    }
    let caller = identity.caller();
    let slot = state.exports.take(caller.user).map_err(|busy| {
        let why = match busy {
            Busy::User => format!("you already have {PER_USER} exports running"),
            Busy::Server => format!("the server already runs {TOTAL} exports"),
        };
        ApiError::busy(
            format!("{why}: try again when one has finished"),
            RETRY_AFTER_SECONDS,
        )
    })?;
    let url = database_url(&state.db_path)?;
    let (sender, receiver) = mpsc::channel(QUEUE);
    let (ready, started) = oneshot::channel::<Result<u64, ApiError>>();
    std::thread::Builder::new()
        .name("export".into())
        .spawn(move || {
            let _slot = slot;
            run(&url, &filter, caller, format, rule, ready, sender);
        })
        .map_err(|e| ApiError::from(crate::error::AppError::Task(e.to_string())))?;
    let count = started
        .await
        .map_err(|_| ApiError::from(crate::error::AppError::Task("the export stopped".into())))??;
    let name = format!(
        "sdreview-{}-{count}.{}",
        chrono::Local::now().format("%Y-%m-%d"),
        format.extension()
    );
    let mut response = HttpResponse::Ok();
    if format == Format::Parquet {
        // Already compressed: gzip would only cost CPU.
        response.insert_header(actix_web::http::header::ContentEncoding::Identity);
    }
    Ok(response
        .content_type(format.content_type())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(ChannelBody { chunks: receiver }))
}

//! `GET /api/export/images?format=csv|jsonl|parquet&<gallery filters>`: a download streamed
//! as it is written. The export runs on a thread of its own and hands the response 64 KiB
//! chunks through a bounded channel, so memory stays constant and a slow client slows the
//! export instead of filling memory.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use tokio::sync::mpsc;

use super::body::{blocking, require};
use super::error::ApiError;
use super::params::gallery_filter;
use crate::db::gallery;
use crate::domain::role::Role;
use crate::error::error_chain;
use crate::export::{self, Format};
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

#[utoipa::path(get, path = "/api/export/images", tag = "export",
    params(
        ("format" = String, Query, description = "csv, jsonl or parquet"),
        ("q" = Option<String>, Query, description = "and every other filter of GET /api/images"),
    ),
    description = "Every image that passes the filters, one row each (docs/export.md lists the \
        columns), as a download streamed while it is written.",
    responses(
        (status = 200, description = "the file", content_type = "text/csv"),
        (status = 400, body = ApiError), (status = 403, body = ApiError),
    ))]
pub async fn images(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let mut format = None;
    let mut filters = Vec::new();
    for (key, value) in query.into_inner() {
        match key.as_str() {
            "format" => {
                format = Some(Format::parse(&value).map_err(|e| ApiError::bad("format", e))?)
            }
            "page" | "sort" | "cursor" | "limit" => {
                return Err(ApiError::bad(
                    &key,
                    format!("an export holds every matching image in id order: leave out `{key}`"),
                ));
            }
            _ => filters.push((key, value)),
        }
    }
    let format = format
        .ok_or_else(|| ApiError::bad("format", format!("choose a format: {}", Format::NAMES)))?;
    let filter = gallery_filter(&filters)?;
    if filter.deleted {
        require(&identity, Role::Admin)?;
    }
    let (pool, me) = (state.pool.clone(), identity.user_id);
    let (layout, count) = {
        let (pool, filter) = (pool.clone(), filter.clone());
        blocking(move || {
            let mut conn = pool.get()?;
            let layout = export::layout(&mut conn, &filter, me)?;
            let (count, _) = gallery::count_capped(&mut conn, &filter, me, i64::MAX - 1)?;
            Ok((layout, count))
        })
        .await?
    };
    let (sender, receiver) = mpsc::channel(QUEUE);
    let failed = sender.clone();
    std::thread::Builder::new()
        .name("export".into())
        .spawn(move || {
            let result = pool.get().map_err(Into::into).and_then(|mut conn| {
                let out = ChannelWriter {
                    buffer: Vec::with_capacity(CHUNK),
                    chunks: sender,
                };
                export::write(&mut conn, &filter, me, &layout, format, out, &mut |_| {})
            });
            if let Err(error) = result {
                tracing::error!("export failed: {}", error_chain(&error));
                let _ = failed.blocking_send(Err(std::io::Error::other("the export failed")));
            }
        })
        .map_err(|e| ApiError::from(crate::error::AppError::Task(e.to_string())))?;
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

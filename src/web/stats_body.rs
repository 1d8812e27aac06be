//! The statistics page below its heading, rendered and compressed once per report. It is
//! the same for everyone who asks for the same figures (only the header around it names the
//! viewer), and a million images' figures make it some 270 kB: drawing and compressing it for
//! every view would cost far more than finding the report does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::HttpResponse;
use actix_web::http::header::HeaderMap;
use askama::Template;

use crate::analytics::Report;
use crate::domain::stats_request::StatsRequest;
use crate::error::{AppError, AppResult};
use crate::views::stats::StatsView;
use crate::web::gzip::{self, Piece};

/// Stands in the page for the body until the two are put together (an HTML comment, so that
/// a page that somehow kept it would still be right).
pub const PLACE: &str = "<!-- the statistics -->";

/// Bodies kept at most (each some 300 kB with its compressed copy for a million images).
const MAX_KEPT: usize = 16;

#[derive(Template)]
#[template(path = "partials/stats_body.html")]
struct StatsBody {
    v: StatsView,
}

pub struct Rendered {
    /// The report it was drawn from: a body is served only with that very report.
    report: Arc<Report>,
    html: String,
    gzip: Piece,
}

/// One per running app.
#[derive(Default)]
pub struct StatsBodies {
    kept: Mutex<HashMap<String, Arc<Rendered>>>,
    /// Held while a body is drawn, so that the views that miss it together (every open page
    /// after a rating) draw it once.
    drawing: Mutex<()>,
}

impl StatsBodies {
    /// The body already drawn for `request` from this very `report`.
    pub fn kept(&self, request: &StatsRequest, report: &Arc<Report>) -> Option<Arc<Rendered>> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(&key(request))
            .filter(|body| Arc::ptr_eq(&body.report, report))
            .cloned()
    }

    /// Draws and compresses the body, and keeps it. Blocking work: call it off the workers.
    pub fn render(&self, request: &StatsRequest, report: &Arc<Report>) -> AppResult<Arc<Rendered>> {
        let _turn = self.drawing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = self.kept(request, report) {
            return Ok(kept);
        }
        let html = StatsBody {
            v: StatsView::new(request, report),
        }
        .render()
        .map_err(|e| AppError::Task(format!("template: {e}")))?;
        let rendered = Arc::new(Rendered {
            report: report.clone(),
            gzip: Piece::new(html.as_bytes())
                .map_err(|e| AppError::Task(format!("compressing the statistics: {e}")))?,
            html,
        });
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        // A report the statistics cache no longer holds will not be handed out again: bodies
        // drawn from one are dead weight.
        kept.retain(|_, body| Arc::strong_count(&body.report) > 1);
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(key(request), rendered.clone());
        Ok(rendered)
    }
}

/// The whole request, not the report's cache key: sort and page do not change a figure, but a
/// gallery address carries them and the page's links keep them.
fn key(request: &StatsRequest) -> String {
    format!("{request:?}")
}

/// `page` (rendered with `PLACE` where the body goes) and `body`, as one response: gzip when
/// the client takes it, made of the page's two ends as they are and the body compressed
/// before; else the text. The compress middleware leaves a response that names its encoding.
pub fn response(headers: &HeaderMap, page: &str, body: &Rendered) -> AppResult<HttpResponse> {
    let (head, tail) = page
        .split_once(PLACE)
        .ok_or_else(|| AppError::Task("the statistics page lost its body's place".into()))?;
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Vary", "Accept-Encoding"));
    if !gzip::accepted(headers) {
        return Ok(response.body(format!("{head}{}{tail}", body.html)));
    }
    // The ends are a few kB that differ per viewer: stored as they are, since setting up a
    // compressor for them would cost most of what the whole response costs.
    let (head, tail) = (
        Piece::stored(head.as_bytes()),
        Piece::stored(tail.as_bytes()),
    );
    Ok(response
        .insert_header(("Content-Encoding", "gzip"))
        .body(gzip::assemble(&[&head, &body.gzip, &tail])))
}

//! A sign-in link as a page or a terminal shows it: the address and its QR code, drawn on the
//! server (an SVG in the page, Unicode half blocks in a terminal), so no script is needed.

use qrcode::QrCode;
use qrcode::render::{svg, unicode};

use crate::auth::sign_in_link::NewLink;
use crate::clock::page_text;
use crate::error::{AppError, AppResult};

/// A new link on a page: shown once.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub url: String,
    /// An `<svg>` element (no XML declaration), safe to put in the page as it is: it holds
    /// only the drawing, never the text of the address.
    pub qr_svg: String,
    pub expires: String,
}

impl LinkView {
    pub fn new(link: &NewLink, base: &str) -> AppResult<LinkView> {
        let url = link.url(base);
        Ok(LinkView {
            qr_svg: qr_svg(&url)?,
            expires: page_text(link.expires_at, "%H:%M"),
            url,
        })
    }
}

fn code(text: &str) -> AppResult<QrCode> {
    QrCode::new(text.as_bytes()).map_err(|e| AppError::Task(format!("QR code: {e}")))
}

/// The QR code of `text` as an inline SVG element, 240 px square by default.
pub fn qr_svg(text: &str) -> AppResult<String> {
    let drawn = code(text)?
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // The renderer writes a whole document; a page wants only its element.
    let start = drawn.find("<svg").unwrap_or(0);
    Ok(drawn[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code of the sign-in link\" ",
        1,
    ))
}

/// The QR code of `text` for a terminal: two modules per character cell, dark on light.
pub fn qr_terminal(text: &str) -> AppResult<String> {
    Ok(code(text)?
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

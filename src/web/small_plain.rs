//! Small answers go out as they are, not gzipped. Setting up a compressor costs more than a
//! few kilobytes cost a LAN: for a rating's 4.5 kB fragment, gzip was a sixth of the server's
//! time and a tenth of the rating's p99. actix's `Compress` leaves alone a response that
//! already names its encoding, so the small ones are marked "identity" inside it, and the mark
//! is taken off outside it ("identity" is not sent as a Content-Encoding, RFC 9110 §8.4).

use actix_web::Error;
use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_ENCODING, HeaderValue};
use actix_web::middleware::Next;

/// Bodies shorter than this are sent uncompressed.
pub const PLAIN_BELOW: u64 = 8 * 1024;

const MARK: &str = "identity";

/// Inside `Compress`: marks a small body, of known length, as needing no encoding.
pub async fn mark(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    let small = matches!(res.response().body().size(), BodySize::Sized(n) if n < PLAIN_BELOW);
    if small && !res.headers().contains_key(CONTENT_ENCODING) {
        res.headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static(MARK));
    }
    Ok(res)
}

/// Outside `Compress`: takes the mark off again.
pub async fn unmark(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    if res
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|value| value == MARK)
    {
        res.headers_mut().remove(CONTENT_ENCODING);
    }
    Ok(res)
}

//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// Scripts only from our own assets (no inline script); inline `style` attributes are allowed
/// because gallery tiles carry their image's aspect ratio. `blob:` images are the review's
/// images fetched ahead by its own script (static/js/review_ahead.js), shown offline.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; \
     frame-ancestors 'none'";

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

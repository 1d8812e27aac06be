//! Browser sign-ins: a random 256-bit id in an HttpOnly cookie; the database keeps only its
//! SHA-256, so a copy of the database cannot be used to sign in.

use rand::distr::{Alphanumeric, SampleString};

pub const COOKIE_NAME: &str = "sdreview_session";
/// How long a sign-in lasts without use (`sign_in_expiry` decides when one ends).
pub use super::sign_in_expiry::LIFETIME_DAYS;
/// How long a browser keeps the cookie: the most browsers allow, so that the server alone
/// decides when a sign-in ends, each use counting as new (a cookie's own age would end a
/// sign-in used every day).
pub const COOKIE_DAYS: i64 = 400;
const ID_LEN: usize = 43;

/// A new cookie value and a new CSRF token.
pub fn new_secret() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), ID_LEN)
}

pub fn hash_id(id: &str) -> String {
    crate::auth::digest::sha256_hex(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_random_and_stored_hashed() {
        let a = new_secret();
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_secret());
        assert_eq!(hash_id(&a).len(), 64);
        assert_ne!(hash_id(&a), a);
    }
}

//! Access tokens: `sdr_<lookup>_<secret>`. The lookup finds the row by its unique index; the
//! secret (256 random bits) is stored only as its SHA-256 and compared in constant time, so a
//! presented token costs one indexed lookup and one SHA-256, whoever sends it.
//!
//! Tokens issued before that were stored as argon2id PHC strings (`$argon2id$...`). Such a row
//! is verified with argon2 once, on the token's first successful use, and then rewritten as a
//! SHA-256 (`credentials::verify_token`); migration `2026-12-01-..._link_sign_ins_to_tokens`
//! explains the same for whoever reads the schema.

use rand::distr::{Alphanumeric, SampleString};

use crate::auth::{digest, password};
use crate::error::AppResult;

const PREFIX: &str = "sdr";
const LOOKUP_LEN: usize = 12;
/// 43 characters of 62 symbols: just over 256 bits.
const SECRET_LEN: usize = 43;
/// How a stored hash from before SHA-256 begins (a PHC string).
const LEGACY_PREFIX: &str = "$argon2";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub lookup: String,
    pub secret: String,
}

impl Token {
    pub fn generate() -> Token {
        let mut rng = rand::rng();
        Token {
            lookup: Alphanumeric.sample_string(&mut rng, LOOKUP_LEN),
            secret: Alphanumeric.sample_string(&mut rng, SECRET_LEN),
        }
    }

    /// Splits a presented token; None for anything not shaped like one of ours.
    pub fn parse(text: &str) -> Option<Token> {
        let mut parts = text.trim().splitn(3, '_');
        let (prefix, lookup, secret) = (parts.next()?, parts.next()?, parts.next()?);
        let alnum =
            |s: &str, len: usize| s.len() == len && s.chars().all(|c| c.is_ascii_alphanumeric());
        (prefix == PREFIX && alnum(lookup, LOOKUP_LEN) && alnum(secret, SECRET_LEN)).then(|| {
            Token {
                lookup: lookup.to_owned(),
                secret: secret.to_owned(),
            }
        })
    }

    pub fn reveal(&self) -> String {
        format!("{PREFIX}_{}_{}", self.lookup, self.secret)
    }

    /// What the database stores for this token: the hex SHA-256 of its secret.
    pub fn secret_hash(&self) -> String {
        digest::sha256_hex(&self.secret)
    }

    /// True when `stored` (a SHA-256, or a legacy argon2id hash) is this token's secret.
    pub fn matches(&self, stored: &str) -> AppResult<bool> {
        if is_legacy_hash(stored) {
            return password::verify(&self.secret, stored);
        }
        Ok(digest::constant_time_eq(
            self.secret_hash().as_bytes(),
            stored.as_bytes(),
        ))
    }
}

/// A hash written before tokens were stored as SHA-256: rewritten on the token's next use.
pub fn is_legacy_hash(stored: &str) -> bool {
    stored.starts_with(LEGACY_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_differ() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a, b);
        assert_eq!(Token::parse(&a.reveal()), Some(a));
        assert_eq!(Token::parse("sdr_short_secret"), None);
        assert_eq!(Token::parse(""), None);
        assert_eq!(Token::parse("Bearer x"), None);
    }

    #[test]
    fn a_token_matches_its_sha256_and_nothing_else() {
        let token = Token::generate();
        let stored = token.secret_hash();
        assert_eq!(stored.len(), 64);
        assert!(!stored.contains(&token.secret));
        assert!(!is_legacy_hash(&stored));
        assert!(token.matches(&stored).unwrap());
        assert!(!Token::generate().matches(&stored).unwrap());
        assert!(!token.matches("").unwrap());
    }

    #[test]
    fn a_token_still_matches_the_argon2id_hash_it_was_issued_with() {
        let token = Token::generate();
        let legacy = password::hash(&token.secret).unwrap();
        assert!(is_legacy_hash(&legacy));
        assert!(token.matches(&legacy).unwrap());
        assert!(!Token::generate().matches(&legacy).unwrap());
    }
}

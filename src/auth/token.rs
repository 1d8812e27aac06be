//! Access tokens: `sdr_<lookup>_<secret>`. The lookup finds the row without a hash search; the
//! secret (256 bits) is verified against its argon2id hash.

use rand::distr::{Alphanumeric, SampleString};

const PREFIX: &str = "sdr";
const LOOKUP_LEN: usize = 12;
/// 43 characters of 62 symbols: just over 256 bits.
const SECRET_LEN: usize = 43;

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
}

#[cfg(test)]
mod tests {
    use super::Token;

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
}

//! argon2id hashing with at least OWASP's parameters (19 MiB, 2 passes, 1 lane).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};

/// The shortest password accepted: a token is the way to sign in without one.
pub const MIN_CHARS: usize = 10;
/// Far above any passphrase; argon2 is not made to hash a pasted book.
pub const MAX_CHARS: usize = 1000;

const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;

fn hasher() -> AppResult<Argon2<'static>> {
    let params =
        Params::new(MEMORY_KIB, PASSES, 1, None).map_err(|e| AppError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn hash(secret: &str) -> AppResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AppError::Hash(e.to_string()))?;
    hasher()?
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Hash(e.to_string()))
}

/// True when `secret` matches `phc`; a malformed stored hash is an error, not a mismatch.
pub fn verify(secret: &str, phc: &str) -> AppResult<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| AppError::Hash(e.to_string()))?;
    Ok(hasher()?
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let phc = hash("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse", &phc).unwrap());
        assert!(!verify("wrong horse", &phc).unwrap());
        assert!(verify("x", "not a hash").is_err());
    }
}

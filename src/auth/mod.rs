//! Credentials: only argon2id hashes are ever stored.

pub mod password;
pub mod token;

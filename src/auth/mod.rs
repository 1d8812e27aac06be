//! Credentials: only argon2id hashes are ever stored.

pub mod accounts;
pub mod credentials;
pub mod password;
pub mod token;
pub mod web_session;

//! Credentials. Passwords are stored only as argon2id hashes; access tokens and sign-in
//! cookies, which carry 256 random bits, only as the SHA-256 of their secret.

pub mod accounts;
pub mod credentials;
pub mod digest;
pub mod password;
pub mod sign_in_expiry;
pub mod sign_in_link;
pub mod token;
pub mod web_session;

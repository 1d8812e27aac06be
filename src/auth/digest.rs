//! SHA-256 for secrets that are already long and random (sign-in cookies, access tokens), and
//! the one constant-time comparison every credential check uses. A slow hash such as argon2
//! protects guessable secrets; 256 random bits need none, so checking one costs microseconds.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Lower-case hex of the SHA-256 of `text`: what the database keeps instead of the secret.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Equal, found without stopping at the first difference, so timing does not tell an attacker
/// how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_hex_sha256_and_comparison_needs_every_byte() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}

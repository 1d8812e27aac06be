//! Who a credential belongs to, remembered for a short while so that a signed-in request
//! costs a hash and a map lookup instead of a database round trip. Entries expire on their own
//! after `TTL`; sign-out in the page removes its entry at once. Changes made from the command
//! line (another process: a revoked token, a disabled user, a sign-out everywhere, a new role)
//! reach a running server when the entry expires, so `TTL` is that delay.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::web::Identity;

pub struct IdentityCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Identity, Instant)>>,
}

/// For browser sign-ins and bearer tokens alike: checking either again costs one indexed
/// lookup (and a SHA-256), so a short lifetime is cheap.
pub const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 10_000;

impl IdentityCache {
    pub fn new(ttl: Duration) -> IdentityCache {
        IdentityCache {
            ttl,
            entries: Mutex::default(),
        }
    }

    pub fn get(&self, key: &str) -> Option<Identity> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(identity, _)| identity.clone())
    }

    pub fn put(&self, key: String, identity: Identity) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, at)| at.elapsed() < self.ttl);
        }
        entries.insert(key, (identity, Instant::now()));
    }

    /// Forgets everyone: after a role change, a disabled user or a revoked token, so that it
    /// holds at once rather than when the entries expire.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    pub fn remove(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

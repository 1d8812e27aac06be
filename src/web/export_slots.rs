//! How many exports may run at once: each holds a thread and a read snapshot of the database
//! for as long as its client takes to download, so a few slow clients must not be able to pile
//! them up. Per user and overall; past either limit the API answers 429 with Retry-After.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::db::ids::UserId;

/// Exports one user may run at once (a second tab, a script beside a browser).
pub const PER_USER: usize = 2;
/// Exports the whole server runs at once.
pub const TOTAL: usize = 6;
/// What a refused client is told to wait, in seconds: a typical export takes a few seconds.
pub const RETRY_AFTER_SECONDS: u64 = 10;

#[derive(Debug)]
pub struct ExportSlots {
    per_user: usize,
    total: usize,
    running: Mutex<HashMap<UserId, usize>>,
}

/// A running export's place; given back when dropped, however the export ends.
#[derive(Debug)]
pub struct ExportSlot {
    slots: Arc<ExportSlots>,
    user: UserId,
}

/// Why an export could not start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// This user already runs `PER_USER` exports.
    User,
    /// The server already runs `TOTAL` exports.
    Server,
}

impl Default for ExportSlots {
    fn default() -> Self {
        ExportSlots::new(PER_USER, TOTAL)
    }
}

impl ExportSlots {
    pub fn new(per_user: usize, total: usize) -> ExportSlots {
        ExportSlots {
            per_user,
            total,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// A place for one more export of `user`, or why there is none.
    pub fn take(self: &Arc<Self>, user: UserId) -> Result<ExportSlot, Busy> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let total: usize = running.values().sum();
        let mine = running.get(&user).copied().unwrap_or(0);
        if mine >= self.per_user {
            return Err(Busy::User);
        }
        if total >= self.total {
            return Err(Busy::Server);
        }
        running.insert(user, mine + 1);
        Ok(ExportSlot {
            slots: Arc::clone(self),
            user,
        })
    }
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut running = self
            .slots
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = running.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                running.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_past_their_limit_is_refused_and_a_finished_export_frees_its_place() {
        let slots = Arc::new(ExportSlots::new(2, 3));
        let first = slots.take(UserId(1));
        let second = slots.take(UserId(1));
        assert!(first.is_ok() && second.is_ok());
        assert_eq!(slots.take(UserId(1)).err(), Some(Busy::User));
        drop(first);
        assert!(slots.take(UserId(1)).is_ok(), "the place came back");
    }

    #[test]
    fn the_server_limit_holds_across_users() {
        let slots = Arc::new(ExportSlots::new(2, 3));
        let held: Vec<_> = [1, 2, 3]
            .into_iter()
            .map(|user| slots.take(UserId(user)))
            .collect();
        assert!(held.iter().all(Result::is_ok));
        assert_eq!(slots.take(UserId(4)).err(), Some(Busy::Server));
    }
}

//! A limit on something threads share (bytes held, tasks running): a thread takes some before
//! it goes on and gives it back after. It waits while taking would go over the limit, unless
//! nothing is held at all (one claim larger than the limit still goes through, alone). Closing
//! the budget releases every waiter, so that no thread waits for ever on one that failed.
//!
//! The importer bounds the bytes read but not yet written; thumbnails bound how many are
//! decoded at once and the bytes they hold (`thumbs::decode_budget`).

use std::sync::{Condvar, Mutex, PoisonError};

pub struct Budget {
    limit: usize,
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    held: usize,
    closed: bool,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            limit,
            state: Mutex::new(State {
                held: 0,
                closed: false,
            }),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit; false when the budget was closed (the writer stopped).
    pub fn take(&self, bytes: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.closed && state.held > 0 && state.held + bytes > self.limit {
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            return false;
        }
        state.held += bytes;
        true
    }

    pub fn give_back(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.held = state.held.saturating_sub(bytes);
        self.freed.notify_all();
    }

    pub fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.closed = true;
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn holders_never_exceed_the_limit_except_one_part_alone() {
        let budget = Budget::new(100);
        assert!(budget.take(250), "a part over the limit goes through alone");
        budget.give_back(250);
        let peak = AtomicUsize::new(0);
        let held = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..200 {
                        assert!(budget.take(30));
                        let now = held.fetch_add(30, Ordering::SeqCst) + 30;
                        peak.fetch_max(now, Ordering::SeqCst);
                        held.fetch_sub(30, Ordering::SeqCst);
                        budget.give_back(30);
                    }
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100);
    }

    #[test]
    fn a_closed_budget_releases_waiting_readers() {
        let budget = Budget::new(10);
        assert!(budget.take(10));
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| budget.take(5));
            std::thread::sleep(std::time::Duration::from_millis(50));
            budget.close();
            assert!(!waiter.join().unwrap());
        });
    }
}

//! What making renditions may take at once: a number of decodes (decoding is CPU work: one per
//! core) and a number of bytes (what each decode holds, estimated from the original's header
//! before any pixel is read). A decode waits until both fit. One that needs more bytes than the
//! whole budget waits until nothing else is being decoded and then runs alone.

use crate::budget::Budget;

pub struct DecodeBudget {
    decodes: Budget,
    bytes: Budget,
}

/// A decode's share of the budget, given back when dropped (on every way out of the decode).
pub struct Reservation<'a> {
    budget: &'a DecodeBudget,
    bytes: usize,
}

impl DecodeBudget {
    pub fn new(decodes: usize, bytes: usize) -> DecodeBudget {
        DecodeBudget {
            decodes: Budget::new(decodes),
            bytes: Budget::new(bytes),
        }
    }

    /// Waits until a decode holding `bytes` fits. The bytes are taken first, so that a decode
    /// waiting for memory does not keep a core from one that would fit.
    pub fn reserve(&self, bytes: usize) -> Reservation<'_> {
        // Neither budget is ever closed, so taking always ends in success.
        self.bytes.take(bytes);
        self.decodes.take(1);
        Reservation {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.decodes.give_back(1);
        self.budget.bytes.give_back(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `reserve(bytes)` on a thread of `scope`; the receiver hears when it got through.
    fn reserve_in<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        budget: &'scope DecodeBudget,
        bytes: usize,
        release: mpsc::Receiver<()>,
    ) -> mpsc::Receiver<()> {
        let (through, heard) = mpsc::channel();
        scope.spawn(move || {
            let _reservation = budget.reserve(bytes);
            through.send(()).unwrap();
            release.recv().ok();
        });
        heard
    }

    const SHORT: Duration = Duration::from_millis(100);

    #[test]
    fn a_decode_that_needs_more_than_the_free_bytes_waits_until_they_are_given_back() {
        let budget = DecodeBudget::new(4, 100);
        std::thread::scope(|scope| {
            let (end_first, first_ends) = mpsc::channel();
            let first = reserve_in(scope, &budget, 70, first_ends);
            first.recv_timeout(SHORT).expect("70 of 100 fits");
            let (_end_second, second_ends) = mpsc::channel();
            let second = reserve_in(scope, &budget, 40, second_ends);
            assert!(
                second.recv_timeout(SHORT).is_err(),
                "40 more does not fit beside 70"
            );
            let (_end_small, small_ends) = mpsc::channel();
            let small = reserve_in(scope, &budget, 30, small_ends);
            small.recv_timeout(SHORT).expect("30 more fits beside 70");
            end_first.send(()).unwrap();
            second
                .recv_timeout(Duration::from_secs(5))
                .expect("fits once 70 are back");
        });
    }

    #[test]
    fn a_decode_larger_than_the_whole_budget_runs_alone() {
        let budget = DecodeBudget::new(4, 100);
        std::thread::scope(|scope| {
            let (end_small, small_ends) = mpsc::channel();
            let small = reserve_in(scope, &budget, 10, small_ends);
            small.recv_timeout(SHORT).unwrap();
            let (end_huge, huge_ends) = mpsc::channel();
            let huge = reserve_in(scope, &budget, 250, huge_ends);
            assert!(
                huge.recv_timeout(SHORT).is_err(),
                "waits while anything else is decoded"
            );
            end_small.send(()).unwrap();
            huge.recv_timeout(Duration::from_secs(5))
                .expect("goes through once nothing else is decoded");
            let (_end_other, other_ends) = mpsc::channel();
            let other = reserve_in(scope, &budget, 1, other_ends);
            assert!(
                other.recv_timeout(SHORT).is_err(),
                "nothing else is decoded beside it"
            );
            end_huge.send(()).unwrap();
            other.recv_timeout(Duration::from_secs(5)).unwrap();
        });
    }

    #[test]
    fn no_more_decodes_at_once_than_allowed_however_small() {
        let budget = DecodeBudget::new(2, 100);
        std::thread::scope(|scope| {
            let (end, ends) = mpsc::channel();
            let first = reserve_in(scope, &budget, 1, ends);
            let (_end, ends) = mpsc::channel();
            let second = reserve_in(scope, &budget, 1, ends);
            first.recv_timeout(SHORT).unwrap();
            second.recv_timeout(SHORT).unwrap();
            let (_end_third, third_ends) = mpsc::channel();
            let third = reserve_in(scope, &budget, 1, third_ends);
            assert!(third.recv_timeout(SHORT).is_err(), "two cores, two decodes");
            end.send(()).unwrap();
            third.recv_timeout(Duration::from_secs(5)).unwrap();
        });
    }
}

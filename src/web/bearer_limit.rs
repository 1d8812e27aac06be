//! Failed bearer-token attempts are limited per client address: past a burst, that address is
//! refused with a 429 before any database work, until its wait is over. Successful attempts
//! are never counted, and a token already verified (in the identity cache) is never refused.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::web::attempt_limit::AttemptLimit;

pub const FAILURE_BURST: u32 = 10;
const FAILURE_PERIOD: Duration = Duration::from_secs(2);
const PRUNE_ABOVE: usize = 10_000;

pub struct BearerLimits {
    failures: AttemptLimit<IpAddr>,
    /// Addresses past the limit, and until when.
    refused_until: Mutex<HashMap<IpAddr, Instant>>,
}

impl BearerLimits {
    pub fn new() -> BearerLimits {
        BearerLimits {
            failures: AttemptLimit::new(FAILURE_BURST, FAILURE_PERIOD),
            refused_until: Mutex::default(),
        }
    }

    /// How long this address must still wait, when it is refused now.
    pub fn refused(&self, address: IpAddr) -> Option<Duration> {
        let refused = self
            .refused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        refused
            .get(&address)
            .and_then(|until| until.checked_duration_since(Instant::now()))
            .filter(|wait| !wait.is_zero())
    }

    /// Counts a failed attempt; returns the wait when that one went past the limit.
    pub fn failed(&self, address: IpAddr) -> Option<Duration> {
        let wait = self.failures.count(&address).err()?;
        let now = Instant::now();
        let mut refused = self
            .refused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if refused.len() > PRUNE_ABOVE {
            refused.retain(|_, until| *until > now);
        }
        refused.insert(address, now + wait);
        Some(wait)
    }
}

impl Default for BearerLimits {
    fn default() -> Self {
        BearerLimits::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_a_burst_of_failures_and_others_are_not() {
        let limits = BearerLimits::new();
        let guesser = IpAddr::from([10, 0, 0, 66]);
        for _ in 0..FAILURE_BURST {
            assert!(limits.refused(guesser).is_none());
            assert!(limits.failed(guesser).is_none());
        }
        assert!(limits.failed(guesser).is_some());
        let wait = limits.refused(guesser).unwrap();
        assert!(wait > Duration::ZERO && wait <= FAILURE_PERIOD);
        assert!(limits.refused(IpAddr::from([10, 0, 0, 7])).is_none());
    }
}

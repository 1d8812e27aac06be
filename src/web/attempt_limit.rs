//! A limit on attempts per key (a client address, or an address and a user name): a burst for
//! honest mistakes, then one attempt every `period`. governor's GCRA keeps one timestamp per
//! key; keys back at a fresh state are dropped once there are many, so a flood of addresses
//! cannot grow the map for ever.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

const PRUNE_ABOVE: usize = 10_000;

pub struct AttemptLimit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> AttemptLimit<K> {
    pub fn new(burst: u32, period: Duration) -> AttemptLimit<K> {
        let quota = Quota::with_period(period)
            .map(|q| q.allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)))
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        AttemptLimit {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Counts one attempt; Err says how long until the next one is allowed.
    pub fn count(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() > PRUNE_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

/// A wait in whole seconds, rounded up and never 0: what `Retry-After` and messages say.
pub fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0 || wait.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_passes_then_the_next_attempt_is_told_how_long_to_wait() {
        let limit = AttemptLimit::new(3, Duration::from_secs(10));
        for _ in 0..3 {
            assert!(limit.count(&"a").is_ok());
        }
        let wait = limit.count(&"a").unwrap_err();
        assert!(wait > Duration::from_secs(8) && wait <= Duration::from_secs(10));
        assert!(limit.count(&"b").is_ok(), "keys are counted apart");
        assert_eq!(whole_seconds(Duration::from_millis(8_200)), 9);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
    }
}

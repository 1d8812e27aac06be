//! Sign-in attempts are limited per client address and per user name, so a guessed token or
//! password costs real time whichever of the two an attacker varies.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SignInLimits {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_user: DefaultKeyedRateLimiter<String>,
}

const ADDRESS_BURST: u32 = 20;
const USER_BURST: u32 = 10;

impl SignInLimits {
    pub fn new() -> SignInLimits {
        // A burst for honest typos, then one attempt every few seconds.
        let quota = |burst: u32, seconds: u64| {
            Quota::with_period(std::time::Duration::from_secs(seconds))
                .map(|q| q.allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)))
                .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        };
        SignInLimits {
            by_address: RateLimiter::keyed(quota(ADDRESS_BURST, 3)),
            by_user: RateLimiter::keyed(quota(USER_BURST, 6)),
        }
    }

    /// True when this attempt may go ahead; every attempt counts against both limits.
    pub fn allow(&self, address: Option<IpAddr>, user: &str) -> bool {
        let address_ok = address.is_none_or(|a| self.by_address.check_key(&a).is_ok());
        let user_ok = self.by_user.check_key(&user.to_lowercase()).is_ok();
        address_ok && user_ok
    }
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_refused_after_the_burst_whatever_the_address() {
        let limits = SignInLimits::new();
        for i in 0..USER_BURST {
            let address = IpAddr::from([10, 0, 0, i as u8]);
            assert!(limits.allow(Some(address), "Alice"));
        }
        assert!(!limits.allow(Some(IpAddr::from([10, 0, 1, 1])), "alice"));
        assert!(limits.allow(Some(IpAddr::from([10, 0, 1, 1])), "bob"));
    }
}

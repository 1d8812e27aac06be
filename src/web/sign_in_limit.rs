//! Sign-in attempts are limited per client address and user name together, and more loosely
//! per address alone. A stranger guessing at `alice` from one address therefore runs out of
//! attempts there, while alice still signs in from hers; and one address trying many names is
//! slowed down all the same.

use std::net::IpAddr;
use std::time::Duration;

use crate::web::attempt_limit::AttemptLimit;

pub struct SignInLimits {
    by_pair: AttemptLimit<(IpAddr, String)>,
    by_address: AttemptLimit<IpAddr>,
}

pub const PAIR_BURST: u32 = 10;
const PAIR_PERIOD: Duration = Duration::from_secs(6);
pub const ADDRESS_BURST: u32 = 30;
const ADDRESS_PERIOD: Duration = Duration::from_secs(2);

impl SignInLimits {
    pub fn new() -> SignInLimits {
        SignInLimits {
            by_pair: AttemptLimit::new(PAIR_BURST, PAIR_PERIOD),
            by_address: AttemptLimit::new(ADDRESS_BURST, ADDRESS_PERIOD),
        }
    }

    /// Counts an attempt against both limits; Err says how long to wait when either is spent.
    pub fn check(&self, address: IpAddr, user: &str) -> Result<(), Duration> {
        let pair = self.by_pair.count(&(address, user.trim().to_lowercase()));
        let alone = self.by_address.count(&address);
        match (pair, alone) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(a), Err(b)) => Err(a.max(b)),
            (Err(wait), _) | (_, Err(wait)) => Err(wait),
        }
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
    fn guesses_at_a_user_from_one_address_do_not_lock_them_out_of_another() {
        let limits = SignInLimits::new();
        let stranger = IpAddr::from([10, 0, 0, 66]);
        let alice_at_home = IpAddr::from([10, 0, 0, 7]);
        for _ in 0..PAIR_BURST {
            assert!(limits.check(stranger, "alice").is_ok());
        }
        assert!(
            limits.check(stranger, "Alice").is_err(),
            "names match in any case"
        );
        assert!(limits.check(alice_at_home, "alice").is_ok());
    }

    #[test]
    fn one_address_trying_many_names_is_limited_too() {
        let limits = SignInLimits::new();
        let address = IpAddr::from([10, 0, 0, 9]);
        for i in 0..ADDRESS_BURST {
            assert!(limits.check(address, &format!("user{i}")).is_ok());
        }
        let wait = limits.check(address, "someone-else").unwrap_err();
        assert!(wait > Duration::ZERO);
        assert!(
            limits
                .check(IpAddr::from([10, 0, 0, 10]), "someone-else")
                .is_ok()
        );
    }
}

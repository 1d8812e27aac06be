//! When a browser sign-in ends: after `LIFETIME` without use. Each use moves its stored end
//! (`web_sessions.expires_at`, UTC) to a lifetime from then. While the server runs, the age of
//! a sign-in it has seen is measured from that use with the monotonic clock, which a change of
//! the wall clock does not move: a clock that jumps a month ahead, or one corrected after it
//! ran 400 days behind, ends no live sign-in. A sign-in the server has not seen since it
//! started is judged by its stored end against the wall clock.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

/// How long a sign-in lasts without being used.
pub const LIFETIME_DAYS: i64 = 30;
const LIFETIME: Duration = Duration::from_secs(LIFETIME_DAYS as u64 * 24 * 60 * 60);
/// Far above a household's sign-ins; past it, the ones unused for a lifetime are forgotten.
const MAX_REMEMBERED: usize = 10_000;

/// Both clocks, read once: the wall clock as a stored time (UTC) and the monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub wall: NaiveDateTime,
    pub monotonic: Instant,
}

impl Now {
    pub fn read() -> Now {
        Now {
            wall: crate::db::now(),
            monotonic: Instant::now(),
        }
    }
}

/// The stored end of a sign-in used at `now`.
pub fn expires_at(now: NaiveDateTime) -> NaiveDateTime {
    now + chrono::Duration::days(LIFETIME_DAYS)
}

/// When this server last saw each sign-in used, by the hash of its cookie.
#[derive(Default)]
pub struct SignInUses {
    last: Mutex<HashMap<String, Instant>>,
}

impl SignInUses {
    /// Whether a sign-in whose stored end is `expires_at` is still live at `now`.
    pub fn is_live(&self, id_hash: &str, expires_at: NaiveDateTime, now: Now) -> bool {
        let last = self.lock().get(id_hash).copied();
        match last {
            Some(used) => now.monotonic.saturating_duration_since(used) < LIFETIME,
            None => expires_at > now.wall,
        }
    }

    /// Notes a use of a live sign-in.
    pub fn used(&self, id_hash: &str, now: Now) {
        let mut last = self.lock();
        if last.len() >= MAX_REMEMBERED {
            last.retain(|_, used| now.monotonic.saturating_duration_since(*used) < LIFETIME);
        }
        last.insert(id_hash.to_owned(), now.monotonic);
    }

    /// A sign-in that ended (signed out, revoked): nothing of it is kept.
    pub fn forget(&self, id_hash: &str) {
        self.lock().remove(id_hash);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    /// A server's clocks: the wall clock at `wall`, the monotonic clock `ran` after start.
    fn now(start: Instant, ran: Duration, wall: &str) -> Now {
        Now {
            wall: at(wall),
            monotonic: start + ran,
        }
    }

    #[test]
    fn a_sign_in_made_while_the_clock_was_400_days_behind_survives_its_correction() {
        let uses = SignInUses::default();
        let start = Instant::now();
        let signed_in = now(start, Duration::ZERO, "2025-11-01 10:00:00");
        let stored_end = expires_at(signed_in.wall);
        uses.used("h", signed_in);
        // A minute later the clock is put right: 400 days ahead of what it said.
        let corrected = now(start, Duration::from_secs(60), "2026-12-06 10:01:00");
        assert!(uses.is_live("h", stored_end, corrected));
    }

    #[test]
    fn a_clock_that_jumps_a_month_ahead_signs_no_one_out() {
        let uses = SignInUses::default();
        let start = Instant::now();
        let signed_in = now(start, Duration::ZERO, "2026-12-01 10:00:00");
        uses.used("h", signed_in);
        let jumped = now(start, Duration::from_secs(60), "2027-01-01 10:01:00");
        assert!(uses.is_live("h", expires_at(signed_in.wall), jumped));
    }

    #[test]
    fn a_sign_in_unused_for_a_lifetime_ends_whatever_the_wall_clock_says() {
        let uses = SignInUses::default();
        let start = Instant::now();
        let signed_in = now(start, Duration::ZERO, "2026-12-01 10:00:00");
        uses.used("h", signed_in);
        // The wall clock stopped (or went back), but 30 days passed.
        let later = now(start, LIFETIME + DAY, "2026-12-01 10:00:00");
        assert!(!uses.is_live("h", expires_at(signed_in.wall), later));
        let used_a_day_before_the_end = now(start, LIFETIME - DAY, "2026-12-01 10:00:00");
        assert!(uses.is_live("h", expires_at(signed_in.wall), used_a_day_before_the_end));
    }

    #[test]
    fn each_use_starts_the_lifetime_again() {
        let uses = SignInUses::default();
        let start = Instant::now();
        uses.used("h", now(start, Duration::ZERO, "2026-12-01 10:00:00"));
        uses.used("h", now(start, 20 * DAY, "2026-12-21 10:00:00"));
        let forty_days_in = now(start, 40 * DAY, "2027-01-10 10:00:00");
        assert!(uses.is_live("h", expires_at(at("2026-12-21 10:00:00")), forty_days_in));
    }

    #[test]
    fn a_sign_in_not_seen_since_the_server_started_is_judged_by_its_stored_end() {
        let uses = SignInUses::default();
        let start = Instant::now();
        let end = at("2026-12-31 10:00:00");
        assert!(uses.is_live("h", end, now(start, Duration::ZERO, "2026-12-30 10:00:00")));
        assert!(!uses.is_live("h", end, now(start, Duration::ZERO, "2026-12-31 10:00:01")));
        uses.used("h", now(start, Duration::ZERO, "2026-12-30 10:00:00"));
        uses.forget("h");
        assert!(!uses.is_live("h", end, now(start, DAY * 2, "2027-01-01 10:00:00")));
    }
}

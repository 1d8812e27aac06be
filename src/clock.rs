//! The server's clock and the three ways a time leaves it. Every time the server stamps is
//! stored as UTC (`stamp`), so a daylight-saving switch cannot make a later time sort before
//! an earlier one; pages show it in the server's zone (`page_text`); the API, the exports and
//! the command line's JSON write RFC 3339 in UTC with a `Z` (`rfc3339`).
//!
//! A session's date is the exception: it is the time written in its folder's name, a
//! calendar fact kept as it reads (local wall-clock time, no zone), so that filters by day and
//! the statistics' days follow the name a person sees. Where it must be an instant (the API,
//! the exports) it is read in the server's zone (`wall_to_utc`).

use chrono::{DateTime, Local, LocalResult, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};

/// Now, by the wall clock. Unit tests of this crate can set it for their own thread.
pub fn utc_now() -> DateTime<Utc> {
    #[cfg(test)]
    if let Some(fake) = fake::now() {
        return fake;
    }
    Utc::now()
}

/// How a time is stored: UTC, without a zone (the columns are SQLite `TIMESTAMP` text).
pub fn stamp(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

/// A stored time, shown on a page in the server's zone.
pub fn page_text(stored: NaiveDateTime, format: &str) -> String {
    stored
        .and_utc()
        .with_timezone(&Local)
        .format(format)
        .to_string()
}

/// A stored time as RFC 3339 in UTC: `2026-10-25T01:30:00Z`, with the fraction of a second
/// when there is one.
pub fn rfc3339(stored: NaiveDateTime) -> String {
    stored
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A wall-clock time of `zone` as UTC. A time that happens twice (the hour repeated when
/// clocks go back) takes the earlier of its two offsets, summer time's; a time that never
/// happens (the hour skipped when clocks go forward) is moved forward by the gap, as a clock
/// that was not changed would read it: 02:30 on a night that skips from 02:00 to 03:00 is
/// 03:30 of the new offset.
pub fn wall_to_utc<Z: TimeZone>(zone: &Z, wall: NaiveDateTime) -> NaiveDateTime {
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(at) => return at.naive_utc(),
        // The earlier instant by comparison: `chrono::Local` lists the two the other way
        // round, so `earliest()` would give the later one.
        LocalResult::Ambiguous(a, b) => return a.naive_utc().min(b.naive_utc()),
        LocalResult::None => {}
    }
    // In a gap: the offset from before it, applied to the wall time, is the instant the
    // unchanged clock meant (02:30 at +01:00 is 01:30Z, which the new offset shows as 03:30).
    let before = wall - chrono::Duration::hours(3);
    match zone.from_local_datetime(&before).earliest() {
        Some(at) => wall - at.offset().fix(),
        None => wall,
    }
}

/// Serde helpers for API structs whose stored times are UTC, and for a session's date (a
/// folder's wall-clock time, read in the server's zone). The OpenAPI document gives these
/// fields `format: date-time`.
pub mod rfc3339 {
    use chrono::{Local, NaiveDateTime};
    use serde::Serializer;

    pub fn utc<S: Serializer>(stored: &NaiveDateTime, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(&super::rfc3339(*stored))
    }

    pub fn utc_option<S: Serializer>(
        stored: &Option<NaiveDateTime>,
        out: S,
    ) -> Result<S::Ok, S::Error> {
        match stored {
            Some(at) => utc(at, out),
            None => out.serialize_none(),
        }
    }

    pub fn wall<S: Serializer>(wall: &NaiveDateTime, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(&super::rfc3339(super::wall_to_utc(&Local, *wall)))
    }
}

#[cfg(test)]
pub mod fake {
    //! A wall clock a unit test sets for its own thread (and only that thread).

    use std::cell::Cell;

    use chrono::{DateTime, Utc};

    thread_local! {
        static NOW: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
    }

    pub fn now() -> Option<DateTime<Utc>> {
        NOW.with(Cell::get)
    }

    pub fn set(at: DateTime<Utc>) {
        NOW.with(|now| now.set(Some(at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn stored_times_are_written_as_rfc3339_in_utc() {
        assert_eq!(rfc3339(at("2026-10-25 01:30:00")), "2026-10-25T01:30:00Z");
        let fraction = at("2026-10-25 01:30:00") + chrono::Duration::milliseconds(250);
        assert_eq!(rfc3339(fraction), "2026-10-25T01:30:00.250Z");
    }

    #[test]
    fn a_wall_time_of_a_fixed_zone_is_moved_by_its_offset() {
        let paris_winter = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            wall_to_utc(&paris_winter, at("2026-12-01 09:00:00")),
            at("2026-12-01 08:00:00")
        );
    }

    #[test]
    fn a_stamp_is_utc_whatever_the_zone() {
        let instant = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
        assert_eq!(stamp(instant), at("2026-10-25 01:30:00"));
    }
}

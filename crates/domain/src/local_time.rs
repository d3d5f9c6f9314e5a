//! UK local time, for people. Records and the API keep UTC (the national answer-time clock and
//! every log are in UTC); screens, narratives of history and the time-of-day risk signal speak the
//! control room's own time, which is GMT in winter and BST (UTC+1) in summer. The zone rules come
//! from the IANA database (chrono-tz), not from a hand-written rule.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The control room's zone (England, Wales, Scotland and Northern Ireland share it).
pub const CONTROL_ROOM_ZONE: Tz = chrono_tz::Europe::London;

/// `at` in UK local time; its `%Z` formats as `GMT` or `BST`.
pub fn uk(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&CONTROL_ROOM_ZONE)
}

/// The instant the UK day containing `at` began (local midnight): "today" on a control room's
/// dashboard is the UK day, which starts at 23:00 UTC the evening before while BST is in force.
pub fn start_of_uk_day(at: DateTime<Utc>) -> DateTime<Utc> {
    uk_midnight(uk(at).date_naive())
}

/// The instant UK local midnight began `day`: where a UK day, or a month of the national returns,
/// starts.
pub fn uk_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    // Midnight exists exactly once in the UK every day (clocks change at 01:00 and 02:00 local), so
    // the fallback (reading it as UTC) is never taken.
    midnight
        .and_local_timezone(CONTROL_ROOM_ZONE)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |m| m.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn follows_british_summer_time() {
        let hm = |s: &str| uk(at(s)).format("%H:%M %Z").to_string();
        assert_eq!(hm("2026-01-15T23:30:00Z"), "23:30 GMT");
        assert_eq!(hm("2026-07-01T23:30:00Z"), "00:30 BST");
        // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(hm("2026-03-29T00:59:00Z"), "00:59 GMT");
        assert_eq!(hm("2026-03-29T01:00:00Z"), "02:00 BST");
        assert_eq!(hm("2026-10-25T00:59:00Z"), "01:59 BST");
        assert_eq!(hm("2026-10-25T01:00:00Z"), "01:00 GMT");
        assert_eq!(hm("2026-12-31T23:59:00Z"), "23:59 GMT", "New Year's Eve is GMT");
    }

    #[test]
    fn the_uk_day_starts_at_local_midnight() {
        assert_eq!(start_of_uk_day(at("2026-01-15T12:00:00Z")), at("2026-01-15T00:00:00Z"));
        assert_eq!(start_of_uk_day(at("2026-07-01T12:00:00Z")), at("2026-06-30T23:00:00Z"));
        assert_eq!(
            start_of_uk_day(at("2026-07-01T23:30:00Z")),
            at("2026-07-01T23:00:00Z"),
            "00:30 BST is the next day"
        );
        // Both clock-change days are measured from their own midnight.
        assert_eq!(start_of_uk_day(at("2026-03-29T12:00:00Z")), at("2026-03-29T00:00:00Z"));
        assert_eq!(start_of_uk_day(at("2026-10-25T12:00:00Z")), at("2026-10-24T23:00:00Z"));
    }

    #[test]
    fn months_start_at_uk_midnight() {
        let first = |y, m| uk_midnight(chrono::NaiveDate::from_ymd_opt(y, m, 1).expect("date"));
        assert_eq!(first(2026, 1), at("2026-01-01T00:00:00Z"));
        assert_eq!(first(2026, 4), at("2026-03-31T23:00:00Z"), "April begins in BST");
        assert_eq!(first(2026, 11), at("2026-11-01T00:00:00Z"));
    }
}

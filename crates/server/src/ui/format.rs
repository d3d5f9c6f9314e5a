//! How times, waits and statuses read on screen. Times are shown in UK local time (GMT or BST),
//! the clock on the control room's wall; full stamps name the zone so they can be set beside the
//! UTC records, and every `<time>` element carries the exact UTC instant in `datetime`.

use chrono::{DateTime, Utc};
use fc_domain::ContactStatus;

/// A wait as a person reads it: `45s`, `3m 05s`, `1h 02m`.
pub fn waited(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// A UK local time of day, e.g. `14:03:22`.
pub fn clock(t: DateTime<Utc>) -> String {
    fc_domain::local_time::uk(t).format("%H:%M:%S").to_string()
}

/// A UK local date and time with its zone, e.g. `23 Nov 2026 14:03:22 GMT` or `… BST`.
pub fn stamp(t: DateTime<Utc>) -> String {
    fc_domain::local_time::uk(t).format("%-d %b %Y %H:%M:%S %Z").to_string()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A status for people.
pub fn status(s: ContactStatus) -> &'static str {
    match s {
        ContactStatus::Received => "Received",
        ContactStatus::Queued => "Queued",
        ContactStatus::InProgress => "In progress",
        ContactStatus::Closed => "Closed",
        ContactStatus::Abandoned => "Abandoned",
        ContactStatus::Transferred => "Transferred",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_naturally() {
        assert_eq!(waited(-3), "0s");
        assert_eq!(waited(45), "45s");
        assert_eq!(waited(185), "3m 05s");
        assert_eq!(waited(3720), "1h 02m");
    }
}

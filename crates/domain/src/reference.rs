//! Public contact references such as `FC-20261122-000123`: short enough to read over the phone,
//! unique, and sortable by day. The sequence is allocated by storage; the format lives here.

use crate::DomainError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Checks a per-day number against a reference's six-digit space.
pub(crate) fn check_seq(seq: u32, max: u32) -> Result<(), DomainError> {
    if seq == 0 || seq > max {
        return Err(DomainError::invalid("reference", format!("sequence {seq} is out of range")));
    }
    Ok(())
}

/// The error for text that is not a reference of the kind `example` shows.
pub(crate) fn not_a_reference(s: &str, example: &str) -> DomainError {
    DomainError::invalid("reference", format!("{s:?} is not a reference like {example}"))
}

/// Reads `{prefix}YYYYMMDD-N…` (with `digits` digits) into its day and number: the shape every
/// day-numbered reference shares; `example` names a valid one in the error.
pub(crate) fn parse_dated(
    s: &str,
    prefix: &str,
    digits: std::ops::RangeInclusive<usize>,
    example: &str,
) -> Result<(NaiveDate, u32), DomainError> {
    let bad = || not_a_reference(s, example);
    let rest = s.strip_prefix(prefix).ok_or_else(bad)?;
    let (day, seq) = rest.split_once('-').ok_or_else(bad)?;
    if day.len() != 8 || !digits.contains(&seq.len()) || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let day = NaiveDate::parse_from_str(day, "%Y%m%d").map_err(|_| bad())?;
    let seq: u32 = seq.parse().map_err(|_| bad())?;
    Ok((day, seq))
}

/// A reference travels as its string form (JSON, URLs, database columns).
macro_rules! string_form {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = $crate::DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$t> for String {
            fn from(r: $t) -> String {
                r.to_string()
            }
        }
    };
}
pub(crate) use string_form;

/// A contact's public reference: the day it was received and a per-day sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContactRef {
    day: NaiveDate,
    seq: u32,
}

impl ContactRef {
    /// The largest sequence a day can hold (six digits).
    pub const MAX_SEQ: u32 = 999_999;

    /// Builds a reference; fails if the day has run out of numbers.
    pub fn new(day: NaiveDate, seq: u32) -> Result<Self, DomainError> {
        check_seq(seq, Self::MAX_SEQ)?;
        Ok(Self { day, seq })
    }

    /// Parses `FC-YYYYMMDD-NNNNNN`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        const EXAMPLE: &str = "FC-20261122-000123";
        let (day, seq) = parse_dated(s, "FC-", 6..=6, EXAMPLE)?;
        Self::new(day, seq).map_err(|_| not_a_reference(s, EXAMPLE))
    }

    /// The day the contact was received.
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The per-day sequence number.
    pub fn seq(&self) -> u32 {
        self.seq
    }
}

impl fmt::Display for ContactRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FC-{}-{:06}", self.day.format("%Y%m%d"), self.seq)
    }
}

string_form!(ContactRef);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_like_the_control_room_reads_it() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let r = ContactRef::new(day, 123).expect("valid");
        assert_eq!(r.to_string(), "FC-20261122-000123");
        assert_eq!(ContactRef::parse("FC-20261122-000123"), Ok(r));
    }

    #[test]
    fn rejects_bad_references() {
        for bad in ["FC-20261322-000123", "FC-20261122-123", "XX-20261122-000123", "FC-20261122-000000", ""] {
            assert!(ContactRef::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(days in 0i64..40_000, seq in 1u32..=ContactRef::MAX_SEQ) {
            let day = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(days);
            let r = ContactRef::new(day, seq).expect("valid");
            prop_assert_eq!(ContactRef::parse(&r.to_string()), Ok(r));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = ContactRef::parse(&s);
        }
    }
}

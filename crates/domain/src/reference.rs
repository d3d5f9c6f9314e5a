//! Public contact references such as `FC-20261122-000123`: short enough to read over the phone,
//! unique, and sortable by day. The sequence is allocated by storage; the format lives here.

use crate::DomainError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

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
        if seq == 0 || seq > Self::MAX_SEQ {
            return Err(DomainError::invalid("reference", format!("sequence {seq} is out of range")));
        }
        Ok(Self { day, seq })
    }

    /// Parses `FC-YYYYMMDD-NNNNNN`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad =
            || DomainError::invalid("reference", format!("{s:?} is not a reference like FC-20261122-000123"));
        let rest = s.strip_prefix("FC-").ok_or_else(bad)?;
        let (day, seq) = rest.split_once('-').ok_or_else(bad)?;
        if day.len() != 8 || seq.len() != 6 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let day = NaiveDate::parse_from_str(day, "%Y%m%d").map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        Self::new(day, seq).map_err(|_| bad())
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

impl TryFrom<String> for ContactRef {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ContactRef> for String {
    fn from(r: ContactRef) -> String {
        r.to_string()
    }
}

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

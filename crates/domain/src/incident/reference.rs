//! Incident references such as `INC-20261123-0042`: the day it was raised and a per-day number,
//! read over the radio. Storage allocates the number; the format lives here.

use crate::DomainError;
use crate::reference::{check_seq, not_a_reference, parse_dated, string_form};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An incident's public reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IncidentRef {
    day: NaiveDate,
    seq: u32,
}

impl IncidentRef {
    /// The largest per-day number (six digits: a very bad day is still well inside).
    pub const MAX_SEQ: u32 = 999_999;

    /// Builds a reference; fails when the day has run out of numbers.
    pub fn new(day: NaiveDate, seq: u32) -> Result<Self, DomainError> {
        check_seq(seq, Self::MAX_SEQ)?;
        Ok(Self { day, seq })
    }

    /// Parses `INC-YYYYMMDD-NNNN` (four to six digits).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        const EXAMPLE: &str = "INC-20261123-0042";
        let (day, seq) = parse_dated(s, "INC-", 4..=6, EXAMPLE)?;
        Self::new(day, seq).map_err(|_| not_a_reference(s, EXAMPLE))
    }

    /// The day it was raised.
    pub fn day(&self) -> NaiveDate {
        self.day
    }
}

impl fmt::Display for IncidentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "INC-{}-{:04}", self.day.format("%Y%m%d"), self.seq)
    }
}

string_form!(IncidentRef);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_like_the_radio_says_it() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let r = IncidentRef::new(day, 42).expect("valid");
        assert_eq!(r.to_string(), "INC-20261123-0042");
        assert_eq!(IncidentRef::parse("INC-20261123-0042"), Ok(r));
        for bad in ["INC-20261123-42", "FC-20261123-0042", "INC-20261323-0042", "INC-20261123-0000"] {
            assert!(IncidentRef::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(days in 0i64..40_000, seq in 1u32..=IncidentRef::MAX_SEQ) {
            let day = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(days);
            let r = IncidentRef::new(day, seq).expect("valid");
            prop_assert_eq!(IncidentRef::parse(&r.to_string()), Ok(r));
        }
    }
}

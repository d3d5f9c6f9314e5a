//! A date of birth as callers give it: sometimes whole, sometimes only a year, or a year and month.
//! Keeping what was said (and no more) matters for matching: a guessed day is worse than none.

use crate::DomainError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A full or partial date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible dates (31 February) and
    /// years outside 1880..=`max_year` (the caller passes the current year: no clock here).
    pub fn parse(s: &str, max_year: i32) -> Result<Self, DomainError> {
        let err = |m: String| DomainError::invalid("date_of_birth", m);
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, what: &str| -> Result<u32, DomainError> {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(format!("{what} {p:?} is not a number; use YYYY, YYYY-MM or YYYY-MM-DD")));
            }
            p.parse::<u32>().map_err(|_| err(format!("{what} {p:?} is not a number")))
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, "year")?, None, None),
            [y, m] => (num(y, "year")?, Some(num(m, "month")?), None),
            [y, m, d] => (num(y, "year")?, Some(num(m, "month")?), Some(num(d, "day")?)),
            _ => return Err(err(format!("{s:?} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"))),
        };
        if year < 1880 || year as i32 > max_year {
            return Err(err(format!("year {year} is not a plausible year of birth")));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(err(format!("month {m} does not exist")));
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year as i32, m, d).is_none()
        {
            return Err(err(format!("{year:04}-{m:02}-{d:02} is not a real date")));
        }
        Ok(Self { year: year as u16, month: month.map(|m| m as u8), day: day.map(|d| d as u8) })
    }

    /// A full date.
    pub fn from_date(d: NaiveDate) -> Self {
        Self { year: d.year() as u16, month: Some(d.month() as u8), day: Some(d.day() as u8) }
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, when given.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day, when given.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The full date, when every part was given.
    pub fn to_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year as i32, self.month? as u32, self.day? as u32)
    }

    /// Age in whole years on `today`, when the date is full enough to say.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        let born = self.to_date()?;
        today.years_since(born)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DomainError;

    /// Parses without an upper year bound beyond 9999; the API layer applies the current year.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s, 9999)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PartialDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^\d{4}(-\d{2}(-\d{2})?)?$"))
            .description(Some("Full or partial date: YYYY, YYYY-MM or YYYY-MM-DD"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PartialDate {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_full_and_partial_dates() {
        assert_eq!(PartialDate::parse("1984", 2026).map(|d| d.to_string()), Ok("1984".into()));
        assert_eq!(PartialDate::parse("1984-07", 2026).map(|d| d.to_string()), Ok("1984-07".into()));
        assert_eq!(PartialDate::parse("1984-07-09", 2026).map(|d| d.to_string()), Ok("1984-07-09".into()));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(PartialDate::parse("2023-02-29", 2026).is_err());
        assert!(PartialDate::parse("1990-13", 2026).is_err());
        assert!(PartialDate::parse("2030-01-01", 2026).is_err());
        assert!(PartialDate::parse("07/09/1984", 2026).is_err());
        assert!(PartialDate::parse("", 2026).is_err());
    }

    #[test]
    fn age_needs_a_full_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        assert_eq!(PartialDate::parse("2000-11-24", 2026).ok().and_then(|d| d.age_on(today)), Some(25));
        assert_eq!(PartialDate::parse("2000", 2026).ok().and_then(|d| d.age_on(today)), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = PartialDate::parse(&s, 2026);
        }

        #[test]
        fn display_round_trips(y in 1900u32..2026, m in 1u32..=12, d in 1u32..=28) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            let parsed = PartialDate::parse(&s, 2026).expect("valid");
            prop_assert_eq!(parsed.to_string(), s);
        }
    }
}

//! Dates of birth as people write them: ISO (`1984-07-09`), British (`09/07/1984`, `9.7.1984`),
//! partial (`1984`, `07/1984`). A British date whose "month" is over 12 while its "day" is not is
//! read as American (month first) and flagged, because that is what the caller most likely meant.

use fc_domain::PartialDate;

/// A compact date of birth: year, month (0 when unknown) and day (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Dob {
    /// Year of birth.
    pub year: u16,
    /// Month 1..=12, or 0 when not given.
    pub month: u8,
    /// Day 1..=31, or 0 when not given.
    pub day: u8,
}

impl Dob {
    /// True when day, month and year are all known.
    pub fn is_full(&self) -> bool {
        self.month != 0 && self.day != 0
    }
}

/// The outcome of reading a date of birth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DobReading {
    /// Read as written.
    Ok(Dob),
    /// Read with day and month swapped (written month first); worth telling the user.
    Swapped(Dob),
}

/// Reads a date of birth; `Err` carries the reason for the per-row report. `max_year` is the
/// current year, passed in because this crate has no clock.
pub fn parse(raw: &str, max_year: i32) -> Result<DobReading, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("empty date of birth".into());
    }
    if s.len() > 32 {
        return Err("date of birth is too long".into());
    }
    let parts: Vec<&str> = s.split(['/', '.', '-', ' ']).filter(|p| !p.is_empty()).collect();
    let iso_first = parts.first().is_some_and(|p| p.len() == 4);
    let (iso, swapped) = match (parts.as_slice(), iso_first) {
        (_, true) => (parts.join("-"), false),
        ([m, y], false) => (format!("{y}-{m:0>2}"), false),
        ([d, m, y], false) => {
            let dn: u32 = d.parse().map_err(|_| format!("{raw:?} is not a date"))?;
            let mn: u32 = m.parse().map_err(|_| format!("{raw:?} is not a date"))?;
            if mn > 12 && dn <= 12 {
                (format!("{y}-{d:0>2}-{m:0>2}"), true)
            } else {
                (format!("{y}-{m:0>2}-{d:0>2}"), false)
            }
        }
        _ => return Err(format!("{raw:?} is not a date")),
    };
    let pd = PartialDate::parse(&iso, max_year).map_err(|e| e.to_string())?;
    let dob = Dob { year: pd.year(), month: pd.month().unwrap_or(0), day: pd.day().unwrap_or(0) };
    Ok(if swapped { DobReading::Swapped(dob) } else { DobReading::Ok(dob) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> Option<Dob> {
        match parse(s, 2026) {
            Ok(DobReading::Ok(d)) => Some(d),
            _ => None,
        }
    }

    #[test]
    fn reads_common_writings() {
        let want = Dob { year: 1984, month: 7, day: 9 };
        assert_eq!(ok("1984-07-09"), Some(want));
        assert_eq!(ok("09/07/1984"), Some(want));
        assert_eq!(ok("9.7.1984"), Some(want));
        assert_eq!(ok("1984"), Some(Dob { year: 1984, month: 0, day: 0 }));
        assert_eq!(ok("07/1984"), Some(Dob { year: 1984, month: 7, day: 0 }));
    }

    #[test]
    fn detects_month_first() {
        assert_eq!(parse("07/25/1984", 2026), Ok(DobReading::Swapped(Dob { year: 1984, month: 7, day: 25 })));
    }

    #[test]
    fn rejects_impossible() {
        for bad in ["31/02/1990", "2030-01-01", "", "yesterday", "1/2/3/4", "00/00/0000"] {
            assert!(parse(bad, 2026).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s, 2026);
        }
    }
}

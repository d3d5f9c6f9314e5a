//! Normalisation: raw text to a compact [`Record`]. Each field is cleaned on its own; a field that
//! cannot be read becomes missing and a [`FieldIssue`] says why, so bad input degrades a record
//! instead of rejecting or (worse) mis-linking it.

pub mod address;
pub mod dob;
pub mod email;
pub mod name;
pub mod nicknames;
pub mod phone;

pub use dob::Dob;
pub use phone::Phone;

use crate::hash::fnv64;
use crate::record::{PostcodeKey, RawRecord, Record};
use crate::vocab::{Interner, Kind};
use fc_domain::Postcode;

/// Longest raw field looked at; the rest is ignored (a guard against huge input).
pub const MAX_FIELD: usize = 1024;

/// A problem with one field of one record, for per-row reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's name as in [`RawRecord`].
    pub field: &'static str,
    /// What was wrong, for a person.
    pub message: String,
}

/// Turns raw records into normalised ones.
#[derive(Debug, Clone, Copy)]
pub struct Normaliser {
    /// Latest plausible year of birth (the current year; passed in, as there is no clock here).
    pub max_year: i32,
}

fn clip(s: &str) -> &str {
    if s.len() <= MAX_FIELD {
        return s;
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Normaliser {
    /// A normaliser that accepts years of birth up to `max_year`.
    pub fn new(max_year: i32) -> Self {
        Self { max_year }
    }

    /// Normalises one record, interning names into `vocab`; returns the record and any issues.
    pub fn normalise(&self, raw: &RawRecord<'_>, vocab: &mut impl Interner) -> (Record, Vec<FieldIssue>) {
        let mut rec = Record::empty();
        let mut issues = Vec::new();
        let mut issue = |field: &'static str, message: String| issues.push(FieldIssue { field, message });

        if let Some(g) = name::given_name(clip(raw.given_name)) {
            rec.given = vocab.intern(Kind::Given, &g, true);
            let formal = nicknames::canonical(&g);
            rec.given_formal = if formal == g { rec.given } else { vocab.intern(Kind::Given, formal, false) };
        } else if !raw.given_name.trim().is_empty() {
            issue("given_name", "no letters in the given name".into());
        }
        if let Some((s, parts)) = name::surname(clip(raw.surname)) {
            rec.surname = vocab.intern(Kind::Surname, &s, true);
            if let Some([a, b]) = parts {
                rec.surname_parts =
                    [vocab.intern(Kind::Surname, &a, false), vocab.intern(Kind::Surname, &b, false)];
            }
        } else if !raw.surname.trim().is_empty() {
            issue("surname", "no letters in the surname".into());
        }
        if !raw.dob.trim().is_empty() {
            match dob::parse(clip(raw.dob), self.max_year) {
                Ok(dob::DobReading::Ok(d)) => rec.dob = d,
                Ok(dob::DobReading::Swapped(d)) => {
                    rec.dob = d;
                    issue("dob", format!("{:?} read as month first (day and month swapped)", raw.dob));
                }
                Err(e) => issue("dob", e),
            }
        }
        if !raw.postcode.trim().is_empty() {
            match Postcode::parse(clip(raw.postcode)) {
                Ok(p) => rec.postcode = postcode_key(&p),
                Err(e) => issue("postcode", e.to_string()),
            }
        }
        if let Some(a) = address::normalise(clip(raw.address)) {
            rec.street = vocab.intern(Kind::Street, &a.street, true);
            rec.house = a.number.map_or(0, |n| (fnv64(7, n.as_bytes()) as u32).max(1));
        }
        if !raw.phone.trim().is_empty() {
            match Phone::parse(clip(raw.phone)) {
                Ok(p) => rec.phone = p.as_u64(),
                Err(e) => issue("phone", format!("{:?} is not a phone number ({e:?})", clip(raw.phone))),
            }
        }
        if !raw.email.trim().is_empty() {
            match email::normalise(clip(raw.email)) {
                Some(e) => rec.email = Some(e.into_boxed_str()),
                None => issue("email", "not an email address".into()),
            }
        }
        if let (Some(lat), Some(lon)) = (raw.lat, raw.lon) {
            match fc_domain::GeoPoint::parse(lat, lon, None) {
                Ok(p) => rec.geo = Some((p.lat as f32, p.lon as f32)),
                Err(e) => issue("lat", e.to_string()),
            }
        }
        (rec, issues)
    }
}

/// Hashes the parts of a validated postcode (never 0, so 0 can mean missing).
pub fn postcode_key(p: &Postcode) -> PostcodeKey {
    let h = |seed: u64, s: &str| (fnv64(seed, s.as_bytes()) as u32).max(1);
    PostcodeKey {
        unit: h(1, &p.to_string()),
        sector: h(2, &p.sector()),
        district: h(3, p.district()),
        area: h(4, p.area()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{Strings, Vocabs};
    use proptest::prelude::*;

    #[test]
    fn normalises_a_full_record() {
        let mut v = Vocabs::default();
        let raw = RawRecord {
            given_name: "Bill",
            surname: "O'Brien-Smith",
            dob: "09/07/1984",
            postcode: "sw1a1aa",
            address: "10 Downing St, London",
            phone: "07700 900123",
            email: "Bill@Example.com",
            lat: Some(51.5),
            lon: Some(-0.12),
        };
        let (r, issues) = Normaliser::new(2026).normalise(&raw, &mut v);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(v.text(Kind::Given, r.given), "bill");
        assert_eq!(v.text(Kind::Given, r.given_formal), "william");
        assert_eq!(v.text(Kind::Surname, r.surname), "obriensmith");
        assert_eq!(v.text(Kind::Street, r.street), "downing street");
        assert_eq!(r.phone, 447_700_900_123);
        assert_eq!(r.dob, Dob { year: 1984, month: 7, day: 9 });
        assert_eq!(r.email.as_deref(), Some("bill@example.com"));
    }

    #[test]
    fn bad_fields_become_missing_with_issues() {
        let mut v = Vocabs::default();
        let raw = RawRecord {
            given_name: "!!!",
            dob: "31/02/1990",
            postcode: "NOT A PC",
            phone: "12",
            email: "nope",
            lat: Some(200.0),
            lon: Some(0.0),
            ..RawRecord::default()
        };
        let (r, issues) = Normaliser::new(2026).normalise(&raw, &mut v);
        assert_eq!(r, Record::empty());
        assert_eq!(issues.len(), 6, "{issues:?}");
    }

    proptest! {
        #[test]
        fn never_panics(g in "\\PC{0,50}", s in "\\PC{0,50}", d in "\\PC{0,20}", p in "\\PC{0,12}",
                        a in "\\PC{0,60}", ph in "\\PC{0,20}", e in "\\PC{0,40}") {
            let mut v = Vocabs::default();
            let raw = RawRecord { given_name: &g, surname: &s, dob: &d, postcode: &p, address: &a,
                                  phone: &ph, email: &e, lat: None, lon: None };
            let _ = Normaliser::new(2026).normalise(&raw, &mut v);
        }
    }
}

//! Comparison of two records, field by field, into discrete agreement levels (the "gamma" vector
//! of a Fellegi-Sunter model). Level 0 always means "missing on one side" and carries no weight;
//! higher levels are listed per field in [`Field::levels`], best first.

pub mod strings;

use crate::record::Record;
use crate::vocab::{Kind, NONE, Strings};
use serde::{Deserialize, Serialize};
use strings::{jaro_winkler, within_one_edit};

/// A compared field. The order is fixed: it indexes [`Gamma`] and the model's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name.
    GivenName,
    /// Surname.
    Surname,
    /// Date of birth.
    Dob,
    /// Postcode.
    Postcode,
    /// House number and street.
    Address,
    /// Phone number.
    Phone,
    /// Email address.
    Email,
    /// Distance between located contacts.
    Geo,
}

/// Number of compared fields.
pub const N_FIELDS: usize = 8;

/// Every field, in [`Gamma`] order.
pub const FIELDS: [Field; N_FIELDS] = [
    Field::GivenName,
    Field::Surname,
    Field::Dob,
    Field::Postcode,
    Field::Address,
    Field::Phone,
    Field::Email,
    Field::Geo,
];

/// Agreement level per field (index by `Field as usize`); 0 = missing.
pub type Gamma = [u8; N_FIELDS];

/// Given-name level: exact.
pub const GIVEN_EXACT: u8 = 1;
/// Given-name level: nickname of the same formal name.
pub const GIVEN_NICKNAME: u8 = 2;
/// Given-name level: given and surname transposed.
pub const GIVEN_SWAPPED: u8 = 3;
/// Given-name level: clearly different.
pub const GIVEN_DIFFERENT: u8 = 7;
/// Surname level: exact.
pub const SURNAME_EXACT: u8 = 1;
/// Date-of-birth level: clearly different full dates (a strong contradiction).
pub const DOB_DIFFERENT: u8 = 7;

impl Field {
    /// Level names, index = level (0 is "missing"). Shown to users in explanations.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::GivenName => &[
                "missing",
                "exact",
                "nickname of the same name",
                "given name and surname swapped",
                "very similar (Jaro-Winkler >= 0.92 or one edit)",
                "similar (Jaro-Winkler >= 0.80)",
                "initial only",
                "different",
            ],
            Field::Surname => &[
                "missing",
                "exact",
                "one part of a double-barrelled name",
                "very similar (Jaro-Winkler >= 0.92 or one edit)",
                "similar (Jaro-Winkler >= 0.80)",
                "different",
            ],
            Field::Dob => &[
                "missing",
                "exact",
                "day and month transposed",
                "year out by one",
                "one of day, month, year different",
                "partial dates agree",
                "partial dates disagree",
                "different",
            ],
            Field::Postcode => {
                &["missing", "same postcode", "same sector", "same district", "same area", "different"]
            }
            Field::Address => {
                &["missing", "same house and street", "same street, typo or no number", "different"]
            }
            Field::Phone => &["missing", "exact", "one digit wrong or two swapped", "different"],
            Field::Email => &["missing", "exact", "same mailbox name or one edit", "different"],
            Field::Geo => &["missing", "within 100 m", "within 1 km", "within 10 km", "further apart"],
        }
    }

    /// Name used in JSON and reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::Surname => "surname",
            Field::Dob => "dob",
            Field::Postcode => "postcode",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Geo => "geo",
        }
    }
}

/// Very similar: one edit apart (checked first, it is linear) or Jaro-Winkler >= 0.92.
fn close(a: &str, b: &str) -> bool {
    within_one_edit(a.as_bytes(), b.as_bytes()) || jaro_winkler(a.as_bytes(), b.as_bytes()) >= 0.92
}

/// 1 very similar, 2 similar (Jaro-Winkler >= 0.80), 3 different; Jaro-Winkler is computed at
/// most once.
fn name_level(a: &str, b: &str) -> u8 {
    if within_one_edit(a.as_bytes(), b.as_bytes()) {
        return 1;
    }
    match jaro_winkler(a.as_bytes(), b.as_bytes()) {
        jw if jw >= 0.92 => 1,
        jw if jw >= 0.80 => 2,
        _ => 3,
    }
}

fn given_level<S: Strings + ?Sized>(a: &Record, b: &Record, s: &S) -> u8 {
    if a.given == NONE || b.given == NONE {
        return 0;
    }
    if a.given == b.given {
        return GIVEN_EXACT;
    }
    if a.given_formal == b.given_formal {
        return GIVEN_NICKNAME;
    }
    let (ga, gb) = (s.text(Kind::Given, a.given), s.text(Kind::Given, b.given));
    if a.surname != NONE && b.surname != NONE && a.surname != b.surname {
        let (sa, sb) = (s.text(Kind::Surname, a.surname), s.text(Kind::Surname, b.surname));
        if close(ga, sb) && close(sa, gb) {
            return GIVEN_SWAPPED;
        }
    }
    let direct = name_level(ga, gb);
    // The formal forms only matter when they differ from the names as written and could improve
    // on the direct level.
    let formal = if direct == 1 || (a.given_formal == a.given && b.given_formal == b.given) {
        direct
    } else {
        name_level(s.text(Kind::Given, a.given_formal), s.text(Kind::Given, b.given_formal))
    };
    match direct.min(formal) {
        1 => 4,
        2 => 5,
        _ if (ga.len() == 1 || gb.len() == 1) && ga.as_bytes().first() == gb.as_bytes().first() => 6,
        _ => GIVEN_DIFFERENT,
    }
}

fn surname_level<S: Strings + ?Sized>(a: &Record, b: &Record, s: &S) -> u8 {
    if a.surname == NONE || b.surname == NONE {
        return 0;
    }
    if a.surname == b.surname {
        return SURNAME_EXACT;
    }
    let pa = [a.surname, a.surname_parts[0], a.surname_parts[1]];
    let pb = [b.surname, b.surname_parts[0], b.surname_parts[1]];
    if pa.iter().any(|x| *x != NONE && pb.contains(x)) {
        return 2;
    }
    name_level(s.text(Kind::Surname, a.surname), s.text(Kind::Surname, b.surname)) + 2
}

fn dob_level(a: &Record, b: &Record) -> u8 {
    let (x, y) = (a.dob, b.dob);
    if x.year == 0 || y.year == 0 {
        return 0;
    }
    if x.is_full() && y.is_full() {
        let same = [x.year == y.year, x.month == y.month, x.day == y.day];
        return match same {
            [true, true, true] => 1,
            [true, false, false] if x.month == y.day && x.day == y.month => 2,
            [false, true, true] if x.year.abs_diff(y.year) == 1 => 3,
            _ if same.iter().filter(|s| **s).count() == 2 => 4,
            _ => DOB_DIFFERENT,
        };
    }
    let agree = x.year == y.year
        && (x.month == 0 || y.month == 0 || x.month == y.month)
        && (x.day == 0 || y.day == 0 || x.day == y.day);
    if agree { 5 } else { 6 }
}

fn postcode_level(a: &Record, b: &Record) -> u8 {
    let (x, y) = (a.postcode, b.postcode);
    if x.unit == 0 || y.unit == 0 {
        0
    } else if x.unit == y.unit {
        1
    } else if x.sector == y.sector {
        2
    } else if x.district == y.district {
        3
    } else if x.area == y.area {
        4
    } else {
        5
    }
}

fn address_level<S: Strings + ?Sized>(a: &Record, b: &Record, s: &S) -> u8 {
    if a.street == NONE || b.street == NONE {
        return 0;
    }
    let numbers_agree = a.house == b.house;
    if a.street == b.street && numbers_agree {
        return 1;
    }
    let numbers_compatible = numbers_agree || a.house == 0 || b.house == 0;
    if numbers_compatible
        && (a.street == b.street
            || jaro_winkler(
                s.text(Kind::Street, a.street).as_bytes(),
                s.text(Kind::Street, b.street).as_bytes(),
            ) >= 0.9)
    {
        return 2;
    }
    3
}

fn digits(n: u64, buf: &mut [u8; 20]) -> usize {
    let mut len = 0;
    let mut v = n;
    while v > 0 && len < 20 {
        buf[len] = b'0' + (v % 10) as u8;
        v /= 10;
        len += 1;
    }
    buf[..len].reverse();
    len
}

fn phone_level(a: &Record, b: &Record) -> u8 {
    if a.phone == 0 || b.phone == 0 {
        return 0;
    }
    if a.phone == b.phone {
        return 1;
    }
    let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
    let (lx, ly) = (digits(a.phone, &mut x), digits(b.phone, &mut y));
    if lx == ly && within_one_edit(&x[..lx], &y[..ly]) { 2 } else { 3 }
}

fn email_level(a: &Record, b: &Record) -> u8 {
    let (Some(x), Some(y)) = (&a.email, &b.email) else { return 0 };
    if x == y {
        return 1;
    }
    let (lx, ly) = (crate::normalise::email::local_part(x), crate::normalise::email::local_part(y));
    if lx == ly || within_one_edit(x.as_bytes(), y.as_bytes()) { 2 } else { 3 }
}

fn geo_level(a: &Record, b: &Record) -> u8 {
    let (Some((la, oa)), Some((lb, ob))) = (a.geo, b.geo) else { return 0 };
    let p = fc_domain::GeoPoint { lat: f64::from(la), lon: f64::from(oa), radius_m: None };
    let q = fc_domain::GeoPoint { lat: f64::from(lb), lon: f64::from(ob), radius_m: None };
    match p.distance_m(&q) {
        d if d <= 100.0 => 1,
        d if d <= 1_000.0 => 2,
        d if d <= 10_000.0 => 3,
        _ => 4,
    }
}

/// Compares two records into agreement levels. Strings are resolved through `s`, which may be a
/// data set's vocabularies or a query overlay.
pub fn compare<S: Strings + ?Sized>(a: &Record, b: &Record, s: &S) -> Gamma {
    let given = given_level(a, b, s);
    // A swap is scored once, on the given name; the surname then carries no separate evidence.
    let surname = if given == GIVEN_SWAPPED { 0 } else { surname_level(a, b, s) };
    [
        given,
        surname,
        dob_level(a, b),
        postcode_level(a, b),
        address_level(a, b, s),
        phone_level(a, b),
        email_level(a, b),
        geo_level(a, b),
    ]
}

/// True when two records strongly contradict each other: both full dates of birth clearly
/// differ, or both given names are clearly different. Used to stop chains of weak links.
pub fn contradicts(g: &Gamma) -> bool {
    g[Field::Dob as usize] == DOB_DIFFERENT || g[Field::GivenName as usize] == GIVEN_DIFFERENT
}

/// The same answer as `contradicts(&compare(a, b, s))` from only the two fields that decide it
/// (date of birth first, it is cheapest): clustering asks this for many record pairs and most of
/// them do not contradict.
pub fn records_contradict<S: Strings + ?Sized>(a: &Record, b: &Record, s: &S) -> bool {
    dob_level(a, b) == DOB_DIFFERENT || given_level(a, b, s) == GIVEN_DIFFERENT
}

/// Packs a gamma vector into 24 bits (3 per field) for counting patterns.
pub fn pack(g: &Gamma) -> u32 {
    g.iter().enumerate().fold(0u32, |acc, (i, &l)| acc | (u32::from(l & 7) << (3 * i)))
}

/// Inverse of [`pack`].
pub fn unpack(p: u32) -> Gamma {
    std::array::from_fn(|i| ((p >> (3 * i)) & 7) as u8)
}

#[cfg(test)]
mod tests;

//! Records: what comes in ([`RawRecord`], borrowed text as typed or imported) and what the engine
//! compares ([`Record`], normalised, about a hundred bytes). The raw form is never stored.

use crate::normalise::Dob;
use crate::vocab::NONE;

/// A person's details as given, before any cleaning. Every field may be empty or rubbish: the
/// normaliser reports problems per field and never panics.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawRecord<'a> {
    /// Given name(s), e.g. "Bill" or "Mr William J".
    pub given_name: &'a str,
    /// Surname, e.g. "O'Brien" or "Smith-Jones".
    pub surname: &'a str,
    /// Date of birth: ISO, British or partial.
    pub dob: &'a str,
    /// UK postcode, any case and spacing.
    pub postcode: &'a str,
    /// First line of the address (more lines are tolerated and ignored).
    pub address: &'a str,
    /// Phone number, any common writing.
    pub phone: &'a str,
    /// Email address.
    pub email: &'a str,
    /// Latitude of a located contact (e.g. AML), degrees.
    pub lat: Option<f64>,
    /// Longitude of a located contact, degrees.
    pub lon: Option<f64>,
}

/// Hashed parts of a postcode (0 when missing), for full/sector/district/area comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostcodeKey {
    /// Whole unit postcode.
    pub unit: u32,
    /// Outward code plus inward digit.
    pub sector: u32,
    /// Outward code.
    pub district: u32,
    /// Area letters.
    pub area: u32,
}

/// A normalised record, compact so millions fit in memory. Missing values use [`NONE`] or zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Given name id (vocabulary `Given`).
    pub given: u32,
    /// Formal given name id (nickname resolved), same as `given` for formal names.
    pub given_formal: u32,
    /// Whole surname id (vocabulary `Surname`).
    pub surname: u32,
    /// First and last parts of a double-barrelled surname, or [`NONE`].
    pub surname_parts: [u32; 2],
    /// Date of birth; year 0 when missing.
    pub dob: Dob,
    /// Postcode parts; all zero when missing.
    pub postcode: PostcodeKey,
    /// Hash of the house number; 0 when missing.
    pub house: u32,
    /// Street id (vocabulary `Street`).
    pub street: u32,
    /// Phone digits in E.164; 0 when missing.
    pub phone: u64,
    /// Normalised email, when given.
    pub email: Option<Box<str>>,
    /// Located point (lat, lon) in degrees, when given.
    pub geo: Option<(f32, f32)>,
}

impl Record {
    /// A record with every field missing.
    pub fn empty() -> Self {
        Self {
            given: NONE,
            given_formal: NONE,
            surname: NONE,
            surname_parts: [NONE, NONE],
            dob: Dob { year: 0, month: 0, day: 0 },
            postcode: PostcodeKey::default(),
            house: 0,
            street: NONE,
            phone: 0,
            email: None,
            geo: None,
        }
    }

    /// True when a date of birth (full or partial) is present.
    pub fn has_dob(&self) -> bool {
        self.dob.year != 0
    }

    /// Approximate bytes used by this record including its heap part.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.email.as_ref().map_or(0, |e| e.len())
    }
}

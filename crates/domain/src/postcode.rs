//! UK postcodes. Validated and normalised ("sw1a1aa" -> "SW1A 1AA") so that matching, mapping and
//! reporting see one spelling; the parts (area, district, sector) give coarser comparisons.

use crate::DomainError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A valid, normalised UK postcode.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode {
    outward: String,
    inward: String,
}

impl Postcode {
    /// Parses any spacing and case. Follows the published format: outward code `A9`, `A99`, `AA9`,
    /// `AA99`, `A9A`, `AA9A`, then inward `9AA` (inward letters exclude C, I, K, M, O, V).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let compact: String =
            s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let bad = || DomainError::invalid("postcode", format!("{s:?} is not a valid UK postcode"));
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(bad());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let ib = inward.as_bytes();
        let inward_letter = |b: u8| b.is_ascii_uppercase() && !b"CIKMOV".contains(&b);
        if !(ib[0].is_ascii_digit() && inward_letter(ib[1]) && inward_letter(ib[2])) {
            return Err(bad());
        }
        let shape: String = outward
            .bytes()
            .map(|b| {
                if b.is_ascii_digit() {
                    '9'
                } else if b.is_ascii_uppercase() {
                    'A'
                } else {
                    '?'
                }
            })
            .collect();
        if !matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A") {
            return Err(bad());
        }
        Ok(Self { outward: outward.to_string(), inward: inward.to_string() })
    }

    /// Area: the leading letters ("SW").
    pub fn area(&self) -> &str {
        let end = self.outward.find(|c: char| c.is_ascii_digit()).unwrap_or(self.outward.len());
        &self.outward[..end]
    }

    /// District: the outward code ("SW1A").
    pub fn district(&self) -> &str {
        &self.outward
    }

    /// Sector: outward code plus the inward digit ("SW1A 1").
    pub fn sector(&self) -> String {
        format!("{} {}", self.outward, &self.inward[..1])
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outward, self.inward)
    }
}

impl Serialize for Postcode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Postcode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Postcode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("UK postcode, any case and spacing; returned normalised (\"SW1A 1AA\")"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Postcode {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_and_spacing() {
        let p = Postcode::parse(" sw1a1aa ").expect("valid");
        assert_eq!(p.to_string(), "SW1A 1AA");
        assert_eq!(p.area(), "SW");
        assert_eq!(p.district(), "SW1A");
        assert_eq!(p.sector(), "SW1A 1");
        assert_eq!(Postcode::parse("M1 1AE").map(|p| p.to_string()), Ok("M1 1AE".into()));
        assert_eq!(Postcode::parse("B33 8TH").map(|p| p.area().to_string()), Ok("B".into()));
        assert_eq!(Postcode::parse("CR2 6XH").map(|p| p.to_string()), Ok("CR2 6XH".into()));
        assert_eq!(Postcode::parse("DN55 1PT").map(|p| p.to_string()), Ok("DN55 1PT".into()));
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "SW1A", "12345", "SW1A 1AAA", "SW1A 1CA", "ÄB1 2CD", "S W"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = Postcode::parse(&s);
        }

        #[test]
        fn parse_is_idempotent(s in "[A-Z]{1,2}[0-9]{1,2} [0-9][ABDEFGHJLNPQRSTUWXYZ]{2}") {
            let once = Postcode::parse(&s).expect("valid by construction");
            let twice = Postcode::parse(&once.to_string()).expect("normalised form parses");
            prop_assert_eq!(once, twice);
        }
    }
}

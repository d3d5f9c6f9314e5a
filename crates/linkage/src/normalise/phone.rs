//! Telephone numbers to E.164 ("07700 900123" -> +447700900123), kept as a number so a record
//! stores eight bytes, not a string. UK numbers are validated by their national shape; numbers
//! with another country code are kept when they are plausible E.164.

use std::fmt;

/// A phone number in E.164, stored as its digits (country code first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(u64);

/// Why a phone number was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    /// No digits at all.
    Empty,
    /// Letters or symbols that have no place in a number.
    BadCharacters,
    /// Too short or too long for its country.
    BadLength,
}

impl Phone {
    /// Parses common UK and international writings: spaces, dashes, dots, brackets, `+44`,
    /// `0044`, a leading trunk `0`, and `(0)` after the country code.
    pub fn parse(raw: &str) -> Result<Self, PhoneProblem> {
        if raw.len() > 64 {
            return Err(PhoneProblem::BadLength);
        }
        let s = raw.trim().replace("(0)", "");
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for (i, c) in s.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' | '\t' => {}
                _ => return Err(PhoneProblem::BadCharacters),
            }
        }
        if digits.is_empty() {
            return Err(PhoneProblem::Empty);
        }
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("44{rest}")
        } else if digits.starts_with("44") && digits.len() >= 11 {
            digits
        } else {
            return Err(PhoneProblem::BadLength);
        };
        let ok = if let Some(national) = international.strip_prefix("44") {
            (9..=10).contains(&national.len())
                && matches!(national.as_bytes().first(), Some(b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9'))
        } else {
            (8..=15).contains(&international.len()) && !international.starts_with('0')
        };
        if !ok {
            return Err(PhoneProblem::BadLength);
        }
        international.parse::<u64>().map(Phone).map_err(|_| PhoneProblem::BadLength)
    }

    /// The digits as a number (for hashing and storage).
    pub fn as_u64(&self) -> u64 {
        self.0
    }

    /// Rebuilds from stored digits.
    pub fn from_u64(n: u64) -> Self {
        Phone(n)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn uk_writings_agree() {
        let want = Phone::parse("+447700900123").expect("valid");
        for s in ["07700 900123", "07700-900-123", "+44 (0)7700 900123", "0044 7700 900123", "447700900123"] {
            assert_eq!(Phone::parse(s), Ok(want), "{s}");
        }
        assert_eq!(want.to_string(), "+447700900123");
        assert_eq!(Phone::parse("(0161) 496 0000").map(|p| p.to_string()), Ok("+441614960000".into()));
    }

    #[test]
    fn rejects_junk() {
        assert_eq!(Phone::parse(""), Err(PhoneProblem::Empty));
        assert_eq!(Phone::parse("call me"), Err(PhoneProblem::BadCharacters));
        assert_eq!(Phone::parse("0123"), Err(PhoneProblem::BadLength));
        assert_eq!(Phone::parse("+99999999999999999999"), Err(PhoneProblem::BadLength));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = Phone::parse(&s);
        }

        #[test]
        fn round_trips(n in 7_000_000_000u64..7_999_999_999) {
            let p = Phone::parse(&format!("0{n}")).expect("uk mobile");
            prop_assert_eq!(Phone::parse(&p.to_string()), Ok(p));
        }
    }
}

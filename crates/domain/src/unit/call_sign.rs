//! Call signs as the radio uses them: a short prefix of letters naming the station or role and a
//! number, e.g. `MC21`, `ARV4`, `DOG2`, `RP11A`. Normalised to upper case without spaces so one
//! unit has one spelling on every screen and in every log.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated call sign.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CallSign(String);

impl CallSign {
    /// Parses one to four letters, one to four digits and an optional letter suffix (spaces and
    /// hyphens are dropped, case is ignored).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let compact: String =
            s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
        let bad = || {
            DomainError::invalid(
                "call_sign",
                format!("{s:?} is not a call sign: letters then digits, like MC21, ARV4 or RP11A"),
            )
        };
        if !compact.is_ascii() {
            return Err(bad());
        }
        let b = compact.as_bytes();
        let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
        let digits = b[letters..].iter().take_while(|c| c.is_ascii_digit()).count();
        let suffix = b.len() - letters - digits;
        let suffix_ok = suffix == 0 || (suffix == 1 && b[b.len() - 1].is_ascii_uppercase());
        if !(1..=4).contains(&letters) || !(1..=4).contains(&digits) || !suffix_ok {
            return Err(bad());
        }
        Ok(Self(compact))
    }

    /// The call sign as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CallSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CallSign {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CallSign> for String {
    fn from(c: CallSign) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_radio_call_signs_and_normalises() {
        assert_eq!(CallSign::parse("mc 21").map(|c| c.to_string()), Ok("MC21".to_string()));
        assert!(CallSign::parse("RP11A").is_ok());
        assert!(CallSign::parse("ARV-4").is_ok());
        for bad in ["", "21", "MC", "MCXYZ1", "MC12345", "MC21AB", "MÇ21", "MC 2 1 !"] {
            assert!(CallSign::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_is_idempotent(s in "\\PC{0,12}") {
            if let Ok(c) = CallSign::parse(&s) {
                prop_assert_eq!(CallSign::parse(c.as_str()), Ok(c.clone()));
            }
        }
    }
}

//! Address lines: the house number and the street, with the usual abbreviations expanded
//! ("12a High St." -> number "12a", street "high street"). The town is dropped: the postcode says
//! where, and towns are written too many ways to compare.

/// Longest address line considered, in bytes.
pub const MAX_ADDRESS: usize = 200;

/// A normalised first address line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// House or flat number with any letter suffix ("12a"), when present.
    pub number: Option<String>,
    /// Street (or house name) in lowercase words, abbreviations expanded.
    pub street: String,
}

fn expand(word: &str) -> &str {
    match word {
        "st" => "street",
        "rd" => "road",
        "ave" | "av" => "avenue",
        "ln" => "lane",
        "dr" => "drive",
        "cl" => "close",
        "cres" | "cresc" => "crescent",
        "ct" => "court",
        "pl" => "place",
        "sq" => "square",
        "gdns" => "gardens",
        "tce" | "terr" => "terrace",
        "gr" | "grv" => "grove",
        "pk" => "park",
        "wy" => "way",
        "hse" => "house",
        "flt" => "flat",
        w => w,
    }
}

/// Normalises the first line of an address (text after the first comma that follows a street is
/// ignored). `None` when no street is left.
pub fn normalise(raw: &str) -> Option<Address> {
    let raw: String = raw.chars().take(MAX_ADDRESS).collect();
    let mut words: Vec<String> = Vec::new();
    let mut number: Option<String> = None;
    for segment in raw.split(',') {
        let mut seg_words = Vec::new();
        for w in segment.split(|c: char| c.is_whitespace() || c == '.' || c == '-') {
            let w: String =
                w.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
            if w.is_empty() {
                continue;
            }
            if number.is_none() && w.as_bytes()[0].is_ascii_digit() {
                number = Some(w);
                continue;
            }
            seg_words.push(expand(&w).to_string());
        }
        if !seg_words.is_empty() {
            // "Flat 3, 12 High Street": the flat is detail; keep the street segment.
            let is_flat = seg_words.first().is_some_and(|w| w == "flat" || w == "apartment");
            if !is_flat {
                words = seg_words;
                break;
            }
            number = None;
        }
    }
    if words.is_empty() {
        return None;
    }
    Some(Address { number, street: words.join(" ") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn expands_and_splits() {
        let a = normalise("12a High St., Leeds").expect("address");
        assert_eq!(a.number.as_deref(), Some("12a"));
        assert_eq!(a.street, "high street");
        assert_eq!(normalise("12A HIGH STREET"), Some(a));
        let f = normalise("Flat 3, 12 Mill Lane, York").expect("address");
        assert_eq!((f.number.as_deref(), f.street.as_str()), (Some("12"), "mill lane"));
        assert_eq!(normalise(" , , "), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,400}") {
            let _ = normalise(&s);
        }
    }
}

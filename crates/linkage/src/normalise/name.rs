//! Person names: one spelling per name so comparisons see "O'Brien", "o brien" and "OBRIEN" as
//! equal. Accents are folded, titles dropped, and double-barrelled surnames keep their parts so
//! "Smith-Jones" can partly agree with "Jones". Never guesses: an empty result is `None`.

/// Longest name kept, in bytes; longer input is cut (a name is never legitimately this long).
pub const MAX_NAME_BYTES: usize = 40;

/// Folds one character to lowercase ASCII letters (accents removed); `None` drops it.
fn fold(c: char) -> Option<&'static str> {
    let s = match c {
        'a'..='z' => return ASCII_LOWER.get((c as usize) - ('a' as usize)).copied(),
        'A'..='Z' => return ASCII_LOWER.get((c as usize) - ('A' as usize)).copied(),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => {
            "e"
        }
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ł' | 'ľ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => {
            "u"
        }
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    };
    Some(s)
}

const ASCII_LOWER: [&str; 26] = [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
    "v", "w", "x", "y", "z",
];

const TITLES: &[&str] =
    &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "lord", "lady", "master"];

/// Splits a raw name into folded lowercase tokens. Hyphens and spaces separate tokens;
/// apostrophes and other punctuation vanish inside a token ("O'Brien" -> "obrien").
pub fn tokens(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut total = 0usize;
    for c in raw.chars() {
        if total >= MAX_NAME_BYTES * 2 {
            break;
        }
        if c.is_whitespace() || c == '-' || c == ',' || c == '/' || c == '_' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(f) = fold(c) {
            cur.push_str(f);
            total += f.len();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A normalised given name: the first real token (titles skipped); `None` if nothing is left.
pub fn given_name(raw: &str) -> Option<String> {
    let toks = tokens(raw);
    let first = toks.into_iter().find(|t| !TITLES.contains(&t.as_str()))?;
    Some(cap(first))
}

/// A normalised surname: all tokens joined (so "Smith-Jones" and "Smith Jones" agree exactly),
/// plus the first and last parts when it is double-barrelled.
pub fn surname(raw: &str) -> Option<(String, Option<[String; 2]>)> {
    let toks: Vec<String> =
        tokens(raw).into_iter().filter(|t| !TITLES.contains(&t.as_str()) || t.len() > 4).collect();
    let joined = cap(toks.concat());
    if joined.is_empty() {
        return None;
    }
    let parts = match toks.as_slice() {
        [first, .., last] if toks.len() >= 2 => Some([cap(first.clone()), cap(last.clone())]),
        _ => None,
    };
    Some((joined, parts))
}

fn cap(mut s: String) -> String {
    if s.len() > MAX_NAME_BYTES {
        s.truncate(MAX_NAME_BYTES); // ASCII only, so any byte index is a char boundary
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(given_name("  Zoë "), Some("zoe".into()));
        assert_eq!(given_name("Mr JOHN paul"), Some("john".into()));
        assert_eq!(surname("O'Brien").map(|s| s.0), Some("obrien".into()));
        assert_eq!(surname("o brien").map(|s| s.0), Some("obrien".into()));
        assert_eq!(surname("Ñúñez").map(|s| s.0), Some("nunez".into()));
        assert_eq!(given_name("  --- "), None);
        assert_eq!(given_name("Mr"), None);
    }

    #[test]
    fn double_barrelled_keeps_parts() {
        let (joined, parts) = surname("Smith-Jones").expect("name");
        assert_eq!(joined, "smithjones");
        assert_eq!(parts, Some(["smith".to_string(), "jones".to_string()]));
        assert_eq!(surname("Smith Jones").map(|s| s.0), Some("smithjones".into()));
    }

    proptest! {
        #[test]
        fn output_is_short_lowercase_ascii(s in "\\PC{0,300}") {
            if let Some(g) = given_name(&s) {
                prop_assert!(!g.is_empty() && g.len() <= MAX_NAME_BYTES);
                prop_assert!(g.bytes().all(|b| b.is_ascii_lowercase()));
            }
            if let Some((j, _)) = surname(&s) {
                prop_assert!(j.len() <= MAX_NAME_BYTES && j.bytes().all(|b| b.is_ascii_lowercase()));
            }
        }

        #[test]
        fn idempotent(s in "[A-Za-z' -]{0,30}") {
            if let Some(g) = given_name(&s) {
                prop_assert_eq!(given_name(&g), Some(g.clone()));
            }
        }
    }
}

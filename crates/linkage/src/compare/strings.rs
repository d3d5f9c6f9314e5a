//! String similarity measures used by the comparison levels: Jaro-Winkler, Damerau-Levenshtein
//! (optimal string alignment) and Soundex. They work on bytes: names reach them already folded to
//! ASCII by the normalisers, so no allocation is needed on the hot path.

/// Jaro-Winkler similarity in `0.0..=1.0` (1.0 for equal strings, 0.0 when either is empty).
/// Strings longer than 64 bytes are compared on their first 64 bytes (normalisers cap names).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (s1, s2) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let window = (s2.len() / 2).saturating_sub(1);
    let mut m1: u64 = 0;
    let mut m2: u64 = 0;
    let mut matches = 0usize;
    for (i, &c) in s1.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(s2.len());
        for (j, &d) in s2.iter().enumerate().take(hi).skip(lo) {
            if m2 & (1 << j) == 0 && d == c {
                m1 |= 1 << i;
                m2 |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &c) in s1.iter().enumerate() {
        if m1 & (1 << i) != 0 {
            while m2 & (1 << j) == 0 {
                j += 1;
            }
            if c != s2[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    let m = matches as f64;
    let jaro = (m / s1.len() as f64 + m / s2.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count one).
/// Inputs are capped at 64 bytes so the cost stays bounded on hostile input.
pub fn damerau_levenshtein(a: &[u8], b: &[u8]) -> usize {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    let n = b.len();
    let mut prev2 = [0usize; 65];
    let mut prev: [usize; 65] = std::array::from_fn(|j| j);
    let mut cur = [0usize; 65];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[n]
}

/// True when the Damerau-Levenshtein (optimal string alignment) distance is at most one: equal,
/// one substitution, one insertion or deletion, or one adjacent transposition. Every comparison
/// level only asks "one edit or not", so this answers it in one linear pass instead of filling
/// the full distance table (which was a sixth of batch deduplication time). Same 64-byte cap as
/// [`damerau_levenshtein`], so the two always agree.
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let i = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        if i == short.len() {
            return true;
        }
        // One substitution at i, or one transposition of i and i + 1.
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        // One insertion into the shorter string at i.
        short[i..] == long[i + 1..]
    }
}

/// American Soundex code (letter plus three digits) packed in a `u32`, or 0 for no letters.
/// Used only as a blocking key, so a typo late in a surname still lands in the same block.
pub fn soundex(s: &[u8]) -> u32 {
    fn code(c: u8) -> u8 {
        match c {
            b'b' | b'f' | b'p' | b'v' => 1,
            b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => 2,
            b'd' | b't' => 3,
            b'l' => 4,
            b'm' | b'n' => 5,
            b'r' => 6,
            b'h' | b'w' => 7, // transparent
            _ => 0,           // vowels separate
        }
    }
    let mut letters = s.iter().map(|c| c.to_ascii_lowercase()).filter(u8::is_ascii_lowercase);
    let Some(first) = letters.next() else { return 0 };
    let mut out = u32::from(first) << 24;
    let mut last = code(first);
    let mut n = 0;
    for c in letters {
        let d = code(c);
        if d == 7 {
            continue;
        }
        if d != 0 && d != last {
            out |= u32::from(d) << (16 - 8 * n);
            n += 1;
            if n == 3 {
                break;
            }
        }
        last = d;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler(b"dixon", b"dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler(b"", b"abc"), 0.0);
        assert_eq!(jaro_winkler(b"abc", b"abc"), 1.0);
    }

    #[test]
    fn damerau_levenshtein_known_values() {
        assert_eq!(damerau_levenshtein(b"smith", b"smtih"), 1);
        assert_eq!(damerau_levenshtein(b"kitten", b"sitting"), 3);
        assert_eq!(damerau_levenshtein(b"", b"abc"), 3);
        assert!(within_one_edit(b"smith", b"smtih"));
        assert!(within_one_edit(b"smith", b"smyth"));
        assert!(within_one_edit(b"smith", b"smiths"));
        assert!(within_one_edit(b"", b"a"));
        assert!(!within_one_edit(b"kitten", b"sitting"));
        assert!(!within_one_edit(b"abcd", b"badc"));
    }

    #[test]
    fn soundex_groups_spellings() {
        assert_eq!(soundex(b"robert"), soundex(b"rupert"));
        assert_eq!(soundex(b"smith"), soundex(b"smyth"));
        assert_ne!(soundex(b"smith"), soundex(b"jones"));
        assert_eq!(soundex(b"123"), 0);
    }

    proptest! {
        #[test]
        fn jw_is_bounded_and_symmetric(a in "[a-z]{0,80}", b in "[a-z]{0,80}") {
            let x = jaro_winkler(a.as_bytes(), b.as_bytes());
            let y = jaro_winkler(b.as_bytes(), a.as_bytes());
            prop_assert!((0.0..=1.0).contains(&x));
            prop_assert!((x - y).abs() < 1e-9);
        }

        #[test]
        fn dl_is_a_distance(a in "[a-c]{0,10}", b in "[a-c]{0,10}") {
            let d = damerau_levenshtein(a.as_bytes(), b.as_bytes());
            prop_assert_eq!(d, damerau_levenshtein(b.as_bytes(), a.as_bytes()));
            prop_assert_eq!(d == 0, a == b);
            prop_assert!(d <= a.len().max(b.len()));
        }

        #[test]
        fn within_one_edit_agrees_with_the_full_distance(a in "[a-c]{0,8}", b in "[a-c]{0,8}") {
            let d = damerau_levenshtein(a.as_bytes(), b.as_bytes());
            prop_assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), d <= 1, "{} {} {}", a, b, d);
        }

        #[test]
        fn never_panics_on_any_bytes(a in proptest::collection::vec(any::<u8>(), 0..200),
                                     b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = jaro_winkler(&a, &b);
            let _ = damerau_levenshtein(&a, &b);
            prop_assert_eq!(within_one_edit(&a, &b), damerau_levenshtein(&a, &b) <= 1);
            let _ = soundex(&a);
        }
    }
}

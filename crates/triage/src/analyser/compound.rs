//! Derived signals: a mention (a child word, or an age such as "15 yr old", "aged 3", "son (12)")
//! plus another signal raises the compound's signal, with the mention as evidence. Ages are read
//! from the words around a number, never from a number alone ("about 3 degrees" is not a child).

use super::scope::Scope;

/// Words before a number that make it an age ("aged 3", "age 14", "I'm 16", "he's 15").
const AGE_BEFORE: [&str; 7] = ["aged", "age", "m", "s", "ages", "im", "is"];
/// Words before "about" that keep the number an age ("looks about 14", "aged about 3").
const ABOUT_AFTER: [&str; 5] = ["look", "looks", "looked", "aged", "age"];
/// Words after a number that make it an age ("15 yr old", "14 year old", "12 yo").
const AGE_AFTER: [&str; 6] = ["year", "years", "yr", "yrs", "yo", "yearold"];

/// Spans (normalised) of ages in `min_age..=max_age`.
pub(crate) fn age_mentions(scope: &Scope<'_>, min_age: u32, max_age: u32) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let words = &scope.words;
    for (i, &(s, e)) in words.iter().enumerate() {
        let Some(word) = scope.text.get(s..e) else { continue };
        if word.len() > 3 || !word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(n) = word.parse::<u32>() else { continue };
        if n > max_age || n < min_age {
            continue;
        }
        let word_at = |j: usize| words.get(j).and_then(|(a, b)| scope.text.get(*a..*b)).unwrap_or("");
        let before = i.checked_sub(1).map(word_at).unwrap_or("");
        let after = word_at(i + 1);
        let bracketed = scope.text.get(..s).is_some_and(|t| t.ends_with('('))
            && scope.text.get(e..).is_some_and(|t| t.starts_with(')'));
        let about =
            before == "about" && i.checked_sub(2).map(word_at).is_some_and(|w| ABOUT_AFTER.contains(&w));
        if AGE_BEFORE.contains(&before) || AGE_AFTER.contains(&after) || bracketed || about {
            out.push((s, e));
        }
    }
    out
}

//! A category hint from a caller's words: which incident category their account most sounds like,
//! using the keywords shipped with the category list. Only a hint: it feeds the duplicate ranking
//! (a "crash" call is unlikely to be the same incident as a burglary next door) and pre-fills the
//! raise form; a person chooses the classification.

use fc_domain::incident::CategoryList;

/// The category whose keywords occur most in `narrative` (longer keywords weigh more; ties go to
/// the earlier category), or `None` when no keyword occurs.
pub fn category_hint(narrative: &str, categories: &CategoryList) -> Option<String> {
    let text = format!(" {} ", narrative.to_lowercase());
    let mut best: Option<(usize, &str)> = None;
    for c in categories.categories() {
        let score: usize =
            c.keywords.iter().filter(|k| !k.is_empty() && text.contains(k.as_str())).map(|k| k.len()).sum();
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, &c.code));
        }
    }
    best.map(|(_, code)| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_words_hint_the_category() {
        let list = CategoryList::builtin();
        assert_eq!(
            category_hint("There's been a crash, two cars, one overturned", &list).as_deref(),
            Some("TRN-RTC-INJURY")
        );
        assert_eq!(category_hint("Someone has broken into my house", &list).as_deref(), Some("CRM-BURGLARY"));
        assert_eq!(category_hint("lovely weather today", &list), None);
    }
}

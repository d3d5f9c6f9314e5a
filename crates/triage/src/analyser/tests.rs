//! Behaviour of the analyser on hand-picked sentences, and properties over any input.

use super::*;
use proptest::prelude::*;
use std::sync::LazyLock;

static ANALYSER: LazyLock<Analyser> =
    LazyLock::new(|| Analyser::with_default_lexicon().expect("default lexicon compiles"));

fn kinds(text: &str) -> Vec<SignalKind> {
    ANALYSER.analyse(text).signals.iter().map(|s| s.kind).collect()
}

#[test]
fn plain_weapon_is_found_with_its_span() {
    let text = "Male outside with a KNIFE shouting";
    let f = ANALYSER.analyse(text);
    let weapons = f.signals.iter().find(|s| s.kind == SignalKind::Weapons).expect("weapon signal");
    let Some(Evidence::Phrase { span, text: matched, .. }) = weapons.evidence.first() else {
        panic!("phrase evidence expected");
    };
    assert_eq!(&text[span.start..span.end], "KNIFE");
    assert_eq!(matched, "KNIFE");
}

#[test]
fn negated_weapons_are_discounted_but_reported() {
    let f = ANALYSER.analyse("No weapons seen. Caller not injured.");
    assert!(f.signals.is_empty(), "{:?}", f.signals);
    assert!(
        f.discounted.iter().any(|d| d.kind == SignalKind::Weapons && d.reason == DiscountReason::Negated)
    );
    assert!(kinds("Weapons: none seen").is_empty());
    assert!(kinds("no knives, guns or bats mentioned").is_empty());
}

#[test]
fn negation_stops_at_a_clause_break() {
    let k = kinds("no injuries but he has a knife");
    assert!(k.contains(&SignalKind::Weapons) && !k.contains(&SignalKind::Injury));
    assert!(kinds("I've never been so scared, he has a knife").contains(&SignalKind::Weapons));
    assert!(kinds("No, he's got a knife").contains(&SignalKind::Weapons));
}

#[test]
fn a_following_negation_of_another_item_does_not_reach_back() {
    for text in ["he has a knife & no injuries", "he has a knife and no injuries", "knife with no injuries"] {
        let k = kinds(text);
        assert!(k.contains(&SignalKind::Weapons), "{text}: {k:?}");
        assert!(!k.contains(&SignalKind::Injury), "{text}: {k:?}");
    }
    assert!(kinds("Weapons: none seen").is_empty(), "a negation right after the term still applies");
}

#[test]
fn doubt_keeps_the_signal_flagged_uncertain() {
    let f = ANALYSER.analyse("not sure if he has a knife");
    let s = f.signals.iter().find(|s| s.kind == SignalKind::Weapons).expect("weapon kept");
    assert_eq!(s.modality, Modality::Uncertain);
}

#[test]
fn hypotheticals_and_fiction_are_discounted() {
    assert!(kinds("what should I do if my neighbour comes round with a knife?").is_empty());
    assert!(kinds("watched a stabbing on the telly and it upset me").is_empty());
}

#[test]
fn hearsay_is_kept_and_flagged() {
    let f = ANALYSER.analyse("her sister told me he has a gun in the flat");
    let s = f.signals.iter().find(|s| s.kind == SignalKind::Weapons).expect("weapon kept");
    assert_eq!(s.modality, Modality::Reported);
}

#[test]
fn misspellings_are_tolerated_and_marked() {
    let f = ANALYSER.analyse("she said she feels sucidal tonight");
    let s = f.signals.iter().find(|s| s.kind == SignalKind::SuicideSelfHarm).expect("typo matched");
    assert!(matches!(s.evidence.first(), Some(Evidence::Phrase { fuzzy: true, .. })));
    assert!(kinds("car is insured and taxed").is_empty());
}

#[test]
fn word_boundaries_and_context_conditions_hold() {
    assert!(kinds("the patient is in a stable condition, uninjured").is_empty());
    assert!(
        kinds("my phone has gone missing from my bag").is_empty()
            || !kinds("my phone is missing").contains(&SignalKind::MissingPerson)
    );
    assert!(kinds("my son is missing since last night").contains(&SignalKind::MissingPerson));
}

#[test]
fn empty_and_odd_input_give_a_result() {
    assert_eq!(ANALYSER.analyse(""), NarrativeFindings::default());
    let _ = ANALYSER.analyse("\u{0}\u{1}\u{7f}🔪🔪 ﷽ \u{202e}knife");
    let huge = "stabbed ".repeat(20_000);
    let f = ANALYSER.analyse(&huge);
    assert!(f.truncated);
    assert!(f.signals.iter().all(|s| s.evidence.len() <= MAX_EVIDENCE));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_spans_are_valid(text in any::<String>()) {
        let f = ANALYSER.analyse(&text);
        for s in &f.signals {
            prop_assert!(!s.evidence.is_empty());
            for ev in &s.evidence {
                if let Evidence::Phrase { span, .. } = ev {
                    prop_assert!(span.start <= span.end && span.end <= text.len());
                    prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                }
            }
        }
    }

    #[test]
    fn never_panics_on_lexicon_words_mixed_with_noise(
        parts in prop::collection::vec(prop::sample::select(vec![
            "no", "knife", "not", "sure", "but", ",", ".", "\n", "🔪", "\u{0}", "stabbed", "missing", "son",
            "what if", "told me", "İ", "ß", "  ", "n't", "husband", "hit", "kids", "suicidal", "sucidal",
        ]), 0..60)
    ) {
        let text = parts.join(" ");
        let _ = ANALYSER.analyse(&text);
        let _ = ANALYSER.analyse(&parts.concat());
    }
}

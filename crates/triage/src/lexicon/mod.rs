//! Lexicons: the words and phrases that raise each narrative signal, and the cue words that cancel
//! or qualify them (negation, hypotheticals, fiction, hearsay, doubt). They are data, not code, so a
//! force can ship its own (local slang, place names, languages) and version it; the default is
//! embedded. This module only parses and merges; `analyser` compiles a lexicon once.
//!
//! Term syntax: `knife` matches the whole word; `stab*` matches words starting with `stab`;
//! `*n't` matches words ending with `n't`. Hyphens, slashes and runs of spaces are treated as one
//! space and matching ignores case, so `self harm` also matches "Self-Harm".

use crate::TriageError;
use crate::signal::SignalKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The lexicon shipped with FirstContact.
pub const DEFAULT_LEXICON_JSON: &str = include_str!("default.json");

/// A complete lexicon: signal terms, cue words and fuzzy matching settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Who owns this lexicon (e.g. "default", a force code).
    pub id: String,
    /// Version, recorded on every assessment so a decision can be explained later.
    pub version: String,
    /// Named word lists used by `near` and `unless_near` (e.g. "person", "property").
    #[serde(default)]
    pub sets: BTreeMap<String, Vec<String>>,
    /// The cue words that qualify a match.
    pub cues: Cues,
    /// Terms per signal.
    pub signals: BTreeMap<SignalKind, SignalTerms>,
    /// Signals raised by a mention plus another signal ("a 15 year old" + a weapon = child at risk).
    #[serde(default)]
    pub compounds: Vec<Compound>,
    /// Misspellings are tolerated (one edit) for single-word terms at least this many letters long.
    #[serde(default = "default_fuzzy_min_len")]
    pub fuzzy_min_len: usize,
    /// Real words one edit away from a term that must never count as that term ("insured").
    #[serde(default)]
    pub fuzzy_exclude: Vec<String>,
}

fn default_fuzzy_min_len() -> usize {
    7
}

/// A derived signal: raised when one of `mentions` (or, with `max_age`, an age up to it such as
/// "15 yr old", "aged 3", "son (12)") appears and any of `with_any` signals was found. This is how a
/// child in a risky situation becomes a child at risk without listing every combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compound {
    /// The signal raised.
    pub signal: SignalKind,
    /// Words that mention the subject (term syntax).
    pub mentions: Vec<String>,
    /// Ages up to this count as a mention.
    #[serde(default)]
    pub max_age: Option<u32>,
    /// Ages from this (up to 120) count as a mention.
    #[serde(default)]
    pub min_age: Option<u32>,
    /// Any of these signals completes the compound; empty means the mention alone is enough.
    pub with_any: Vec<SignalKind>,
}

/// Cue words. Each list uses the term syntax.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    /// Words that negate a following term within `negation_window` words ("no", "denies").
    #[serde(default)]
    pub negation: Vec<String>,
    /// Words that, right after a negation, turn it into doubt ("not *sure* if he has a knife").
    #[serde(default)]
    pub uncertainty_after_negation: Vec<String>,
    /// Words that negate a term just before them ("weapons: none seen").
    #[serde(default)]
    pub post_negation: Vec<String>,
    /// Phrases that make the clause hypothetical ("what should I do if").
    #[serde(default)]
    pub hypothetical: Vec<String>,
    /// Phrases that make the clause not about real events ("on the telly", "video game").
    #[serde(default)]
    pub not_real: Vec<String>,
    /// Phrases that mark hearsay ("her sister told me").
    #[serde(default)]
    pub reported: Vec<String>,
    /// Phrases that mark doubt ("might", "possibly").
    #[serde(default)]
    pub uncertain: Vec<String>,
    /// Words that end a clause, so negation does not run past them ("but", "apart from").
    #[serde(default)]
    pub clause_break: Vec<String>,
    /// How many words may sit between a negation and the term it negates.
    #[serde(default = "default_negation_window")]
    pub negation_window: usize,
}

fn default_negation_window() -> usize {
    4
}

/// The terms for one signal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalTerms {
    /// Whether misspellings of this signal's words count (off for signals with short, common words).
    #[serde(default = "yes")]
    pub fuzzy: bool,
    /// The terms.
    pub terms: Vec<Term>,
}

fn yes() -> bool {
    true
}

/// A term: a plain string, or a string with context conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Term {
    /// Matches wherever it appears (subject to negation and the other cues).
    Plain(String),
    /// Matches only with (or without) certain words nearby.
    Conditional(ConditionalTerm),
}

/// A term that needs context, e.g. "missing" only near a person word and not near "phone".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalTerm {
    /// The term.
    pub t: String,
    /// A set name; a word of it must appear within `window` words.
    #[serde(default)]
    pub near: Option<String>,
    /// A set name; no word of it may appear within `window` words.
    #[serde(default)]
    pub unless_near: Option<String>,
    /// Words either side considered "near".
    #[serde(default = "default_window")]
    pub window: usize,
}

fn default_window() -> usize {
    6
}

impl Term {
    /// The term text.
    pub fn text(&self) -> &str {
        match self {
            Term::Plain(t) => t,
            Term::Conditional(c) => &c.t,
        }
    }
}

impl Lexicon {
    /// Loads a lexicon from JSON and checks that its sets are defined.
    pub fn from_json(json: &str) -> Result<Self, TriageError> {
        let lexicon: Lexicon =
            serde_json::from_str(json).map_err(|e| TriageError::config("lexicon", e.to_string()))?;
        lexicon.validate()?;
        Ok(lexicon)
    }

    /// The default lexicon.
    pub fn default_lexicon() -> Result<Self, TriageError> {
        Self::from_json(DEFAULT_LEXICON_JSON)
    }

    /// Adds a force's extra terms, cues and sets to this lexicon, taking the force's id and version.
    /// A force usually extends the default rather than replacing it, so it keeps national updates.
    pub fn merge(&mut self, extra: Lexicon) {
        self.id = extra.id;
        self.version = format!("{}+{}", self.version, extra.version);
        for (name, words) in extra.sets {
            self.sets.entry(name).or_default().extend(words);
        }
        let c = &mut self.cues;
        let e = extra.cues;
        c.negation.extend(e.negation);
        c.uncertainty_after_negation.extend(e.uncertainty_after_negation);
        c.post_negation.extend(e.post_negation);
        c.hypothetical.extend(e.hypothetical);
        c.not_real.extend(e.not_real);
        c.reported.extend(e.reported);
        c.uncertain.extend(e.uncertain);
        c.clause_break.extend(e.clause_break);
        for (kind, terms) in extra.signals {
            self.signals.entry(kind).or_default().terms.extend(terms.terms);
        }
        self.fuzzy_exclude.extend(extra.fuzzy_exclude);
        self.compounds.extend(extra.compounds);
    }

    fn validate(&self) -> Result<(), TriageError> {
        for (kind, terms) in &self.signals {
            for term in &terms.terms {
                if term.text().trim_matches('*').trim().is_empty() {
                    return Err(TriageError::config("lexicon", format!("{kind}: empty term")));
                }
                if let Term::Conditional(c) = term {
                    for set in c.near.iter().chain(c.unless_near.iter()) {
                        if !self.sets.contains_key(set) {
                            return Err(TriageError::config(
                                "lexicon",
                                format!("{kind}: term {:?} uses undefined set {set:?}", c.t),
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_lexicon_loads_and_covers_every_narrative_signal() {
        let lex = Lexicon::default_lexicon().expect("default lexicon");
        for kind in SignalKind::NARRATIVE {
            assert!(lex.signals.get(&kind).is_some_and(|t| !t.terms.is_empty()), "{kind} has no terms");
        }
    }

    #[test]
    fn undefined_sets_and_unknown_fields_are_rejected() {
        let bad = r#"{"id":"x","version":"1","cues":{},"signals":{"weapons":{"terms":[{"t":"gun","near":"nope"}]}}}"#;
        assert!(Lexicon::from_json(bad).is_err());
        let bad = r#"{"id":"x","version":"1","cues":{},"signals":{},"colour":"blue"}"#;
        assert!(Lexicon::from_json(bad).is_err());
        let bad = r#"{"id":"x","version":"1","cues":{},"signals":{"laser":{"terms":["x"]}}}"#;
        assert!(Lexicon::from_json(bad).is_err());
    }

    #[test]
    fn merge_adds_force_terms_and_records_both_versions() {
        let mut lex = Lexicon::default_lexicon().expect("default lexicon");
        let force = r#"{"id":"force-x","version":"7","cues":{},"signals":{"weapons":{"terms":["shank"]}}}"#;
        lex.merge(Lexicon::from_json(force).expect("force lexicon"));
        assert_eq!(lex.id, "force-x");
        assert!(lex.version.ends_with("+7"));
        assert!(lex.signals[&SignalKind::Weapons].terms.iter().any(|t| t.text() == "shank"));
    }
}

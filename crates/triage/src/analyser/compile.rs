//! Compiles a [`Lexicon`] once into one Aho-Corasick automaton holding every term and cue, a table
//! saying what each pattern means, and an index of one-deletion variants for tolerating typos.
//! Compiling is the slow step (milliseconds); it must happen at start-up or on a lexicon change,
//! never per contact.

use super::fuzzy::deletion_variants;
use super::normalise::Normalised;
use crate::TriageError;
use crate::lexicon::{Lexicon, Term};
use crate::signal::SignalKind;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};

/// What a cue does to a nearby term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    Negation,
    UncertaintyAfterNegation,
    PostNegation,
    Hypothetical,
    NotReal,
    Reported,
    Uncertain,
    ClauseBreak,
}

/// What a pattern in the automaton means.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    /// A signal term (index into `Compiled::terms`).
    Term(usize),
    /// A cue.
    Cue(CueKind),
    /// A mention for a compound (index into `Compiled::compounds`).
    Mention(usize),
}

/// One meaning of a pattern, with its word-boundary requirements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleEntry {
    pub role: Role,
    pub bound_start: bool,
    pub bound_end: bool,
}

/// A context condition on a term: a set of words and a window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Near {
    pub set: usize,
    pub window: usize,
}

/// A signal term as written in the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct TermInfo {
    pub kind: SignalKind,
    pub written: String,
    pub near: Option<Near>,
    pub unless_near: Option<Near>,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub ac: AhoCorasick,
    pub roles: Vec<Vec<RoleEntry>>,
    pub terms: Vec<TermInfo>,
    pub sets: Vec<HashSet<String>>,
    pub fuzzy: HashMap<String, Vec<usize>>,
    pub exact_words: HashSet<String>,
    pub fuzzy_min_len: usize,
    pub fuzzy_exclude: HashSet<String>,
    pub negation_window: usize,
    pub compounds: Vec<crate::lexicon::Compound>,
}

/// Splits the `*` syntax off a raw term and normalises it the way narratives are normalised.
fn parse_syntax(raw: &str) -> (String, bool, bool) {
    let bound_start = !raw.starts_with('*');
    let bound_end = !raw.ends_with('*');
    let text = Normalised::new(raw.trim_matches('*')).text.trim().to_string();
    (text, bound_start, bound_end)
}

/// Collects patterns and their roles, merging duplicates so the automaton holds each once.
#[derive(Default)]
struct Builder {
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    roles: Vec<Vec<RoleEntry>>,
}

impl Builder {
    fn add(&mut self, raw: &str, role: Role) -> Option<String> {
        let (text, bound_start, bound_end) = parse_syntax(raw);
        if text.is_empty() {
            return None;
        }
        let id = *self.index.entry(text.clone()).or_insert_with(|| {
            self.patterns.push(text.clone());
            self.roles.push(Vec::new());
            self.patterns.len() - 1
        });
        if let Some(roles) = self.roles.get_mut(id) {
            roles.push(RoleEntry { role, bound_start, bound_end });
        }
        Some(text).filter(|_| bound_start && bound_end)
    }
}

impl Compiled {
    /// Compiles a lexicon.
    pub fn new(lexicon: &Lexicon) -> Result<Self, TriageError> {
        let mut b = Builder::default();
        let cues = &lexicon.cues;
        let lists: [(&Vec<String>, CueKind); 8] = [
            (&cues.negation, CueKind::Negation),
            (&cues.uncertainty_after_negation, CueKind::UncertaintyAfterNegation),
            (&cues.post_negation, CueKind::PostNegation),
            (&cues.hypothetical, CueKind::Hypothetical),
            (&cues.not_real, CueKind::NotReal),
            (&cues.reported, CueKind::Reported),
            (&cues.uncertain, CueKind::Uncertain),
            (&cues.clause_break, CueKind::ClauseBreak),
        ];
        for (list, kind) in lists {
            for raw in list {
                b.add(raw, Role::Cue(kind));
            }
        }

        for (i, compound) in lexicon.compounds.iter().enumerate() {
            for raw in &compound.mentions {
                b.add(raw, Role::Mention(i));
            }
        }

        let set_names: Vec<&String> = lexicon.sets.keys().collect();
        let sets: Vec<HashSet<String>> = lexicon
            .sets
            .values()
            .map(|words| words.iter().map(|w| Normalised::new(w).text.trim().to_string()).collect())
            .collect();
        let set_index = |name: &Option<String>, window: usize| {
            name.as_ref().and_then(|n| set_names.iter().position(|s| *s == n)).map(|set| Near { set, window })
        };

        let mut terms = Vec::new();
        let mut fuzzy: HashMap<String, Vec<usize>> = HashMap::new();
        let mut exact_words = HashSet::new();
        for (kind, signal_terms) in &lexicon.signals {
            for term in &signal_terms.terms {
                let (near, unless_near) = match term {
                    Term::Plain(_) => (None, None),
                    Term::Conditional(c) => {
                        (set_index(&c.near, c.window), set_index(&c.unless_near, c.window))
                    }
                };
                let idx = terms.len();
                terms.push(TermInfo { kind: *kind, written: term.text().to_string(), near, unless_near });
                let Some(whole) = b.add(term.text(), Role::Term(idx)) else { continue };
                let single_word = whole.chars().all(|c| c.is_ascii_alphabetic());
                if single_word {
                    exact_words.insert(whole.clone());
                }
                let fuzzy_ok = signal_terms.fuzzy && near.is_none() && unless_near.is_none();
                if fuzzy_ok && single_word && whole.len() >= lexicon.fuzzy_min_len {
                    for variant in deletion_variants(&whole) {
                        fuzzy.entry(variant).or_default().push(idx);
                    }
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&b.patterns)
            .map_err(|e| TriageError::config("lexicon", e.to_string()))?;
        Ok(Compiled {
            ac,
            roles: b.roles,
            terms,
            sets,
            fuzzy,
            exact_words,
            fuzzy_min_len: lexicon.fuzzy_min_len,
            fuzzy_exclude: lexicon.fuzzy_exclude.iter().map(|w| w.to_lowercase()).collect(),
            negation_window: cues.negation_window,
            compounds: lexicon.compounds.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_syntax_sets_boundaries() {
        assert_eq!(parse_syntax("stab*"), ("stab".to_string(), true, false));
        assert_eq!(parse_syntax("*n't"), ("n't".to_string(), false, true));
        assert_eq!(parse_syntax("Self-Harm"), ("self harm".to_string(), true, true));
    }

    #[test]
    fn default_lexicon_compiles_with_typo_index() {
        let lex = Lexicon::default_lexicon().expect("lexicon");
        let c = Compiled::new(&lex).expect("compiles");
        assert!(!c.fuzzy.is_empty());
        assert!(c.roles.iter().all(|r| !r.is_empty()));
    }
}

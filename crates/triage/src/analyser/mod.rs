//! The narrative analyser: finds risk signals in free text with their evidence. One pass of a
//! compiled Aho-Corasick automaton finds every term and cue; the scope rules then decide what each
//! match means. It must never panic and always return a result, whatever the input (empty, huge,
//! emoji, control characters): it is fuzzed and property-tested.

mod compile;
mod compound;
mod fuzzy;
mod normalise;
mod scope;

pub use scope::DiscountReason;

use crate::TriageError;
use crate::lexicon::Lexicon;
use crate::signal::{Evidence, Modality, Signal, SignalKind, SignalSource, Span};
use compile::{Compiled, Near, Role};
use normalise::{Normalised, is_word_char};
use scope::{Cue, Scope, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Narratives longer than this are analysed up to this many bytes (and the result says so), so one
/// pasted document cannot stall the control room.
pub const MAX_ANALYSED_BYTES: usize = 64 * 1024;

/// At most this many pieces of evidence are kept per signal; the handler needs the reasons, not
/// every repetition.
const MAX_EVIDENCE: usize = 12;

/// A match that did not raise a signal, kept so the handler can see what was set aside and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discounted {
    /// The signal it would have raised.
    pub kind: SignalKind,
    /// The original text matched.
    pub text: String,
    /// Where, in bytes of the original narrative.
    pub span: Span,
    /// Why it was set aside.
    pub reason: DiscountReason,
    /// The cue words that set it aside ("no", "on the telly").
    pub cue: String,
}

/// What the analyser found in one narrative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrativeFindings {
    /// Signals raised, in [`SignalKind`] order.
    pub signals: Vec<Signal>,
    /// Matches set aside (negated, hypothetical, not real).
    pub discounted: Vec<Discounted>,
    /// Whether the narrative was longer than [`MAX_ANALYSED_BYTES`] and only its start was read.
    pub truncated: bool,
}

/// A compiled lexicon, ready to analyse narratives. Build once; share freely (it is `Sync`).
#[derive(Debug, Clone)]
pub struct Analyser {
    compiled: Compiled,
    lexicon_id: String,
    lexicon_version: String,
}

/// A term match in normalised text.
struct Hit {
    term: usize,
    start: usize,
    end: usize,
    fuzzy: bool,
}

impl Analyser {
    /// Compiles a lexicon.
    pub fn new(lexicon: &Lexicon) -> Result<Self, TriageError> {
        Ok(Analyser {
            compiled: Compiled::new(lexicon)?,
            lexicon_id: lexicon.id.clone(),
            lexicon_version: lexicon.version.clone(),
        })
    }

    /// Compiles the default lexicon.
    pub fn with_default_lexicon() -> Result<Self, TriageError> {
        Self::new(&Lexicon::default_lexicon()?)
    }

    /// The lexicon's id and version, recorded with each assessment.
    pub fn lexicon_version(&self) -> (&str, &str) {
        (&self.lexicon_id, &self.lexicon_version)
    }

    /// Finds the risk signals in a narrative.
    pub fn analyse(&self, narrative: &str) -> NarrativeFindings {
        let truncated = narrative.len() > MAX_ANALYSED_BYTES;
        let narrative = if truncated { head(narrative, MAX_ANALYSED_BYTES) } else { narrative };
        let norm = Normalised::new(narrative);
        let text = norm.text.as_str();
        let c = &self.compiled;

        let mut scope = Scope::new(text);
        let mut cues = Vec::new();
        let mut hits = Vec::new();
        let mut mentions: Vec<(usize, usize, usize)> = Vec::new();
        for m in c.ac.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            for entry in c.roles.get(m.pattern().as_usize()).map_or(&[][..], |v| v.as_slice()) {
                if !boundaries_ok(text, start, end, entry.bound_start, entry.bound_end) {
                    continue;
                }
                match entry.role {
                    Role::Cue(kind) => cues.push(Cue { kind, start, end }),
                    Role::Term(term) => hits.push(Hit { term, start, end, fuzzy: false }),
                    Role::Mention(i) => mentions.push((i, start, end)),
                }
            }
        }
        scope.set_cues(cues);
        self.fuzzy_hits(&scope, &mut hits);

        let mut found: BTreeMap<SignalKind, (Modality, Vec<Evidence>)> = BTreeMap::new();
        let mut discounted = Vec::new();
        for hit in hits {
            let Some(info) = c.terms.get(hit.term) else { continue };
            if !self.context_ok(&scope, &hit, info.near, info.unless_near) {
                continue;
            }
            let (s, e) = norm.original_span(hit.start, hit.end);
            let original = narrative.get(s..e).unwrap_or("").to_string();
            match scope.judge(hit.start, hit.end, c.negation_window) {
                Verdict::Keep(modality) => {
                    let entry = found.entry(info.kind).or_insert((modality, Vec::new()));
                    entry.0 = entry.0.min(modality);
                    let span = Span { start: s, end: e };
                    // Overlapping matches ("ex", "ex partner", "partner") show once, the longest kept.
                    entry.1.retain(|ev| {
                        !matches!(ev, Evidence::Phrase { span: sp, .. }
                            if span.start <= sp.start && sp.end <= span.end && *sp != span)
                    });
                    let dup = entry.1.iter().any(|ev| {
                        matches!(ev, Evidence::Phrase { span: sp, .. } if sp.start <= span.start && span.end <= sp.end)
                    });
                    if entry.1.len() < MAX_EVIDENCE && !dup {
                        entry.1.push(Evidence::Phrase {
                            text: original,
                            span,
                            term: info.written.clone(),
                            fuzzy: hit.fuzzy,
                            modality,
                        });
                    }
                }
                Verdict::Discount(reason, cs, ce) if discounted.len() < MAX_EVIDENCE * 4 => {
                    let (os, oe) = norm.original_span(cs, ce);
                    discounted.push(Discounted {
                        kind: info.kind,
                        text: original,
                        span: Span { start: s, end: e },
                        reason,
                        cue: narrative.get(os..oe).unwrap_or("").to_string(),
                    });
                }
                Verdict::Discount(..) => {}
            }
        }
        self.add_compounds(&scope, &norm, narrative, mentions, &mut found);
        let signals = found
            .into_iter()
            .map(|(kind, (modality, evidence))| Signal {
                kind,
                source: SignalSource::Narrative,
                modality,
                evidence,
            })
            .collect();
        NarrativeFindings { signals, discounted, truncated }
    }

    /// Raises compound signals (a mention plus another signal), with the mention as evidence.
    fn add_compounds(
        &self,
        scope: &Scope<'_>,
        norm: &Normalised,
        narrative: &str,
        mut mentions: Vec<(usize, usize, usize)>,
        found: &mut BTreeMap<SignalKind, (Modality, Vec<Evidence>)>,
    ) {
        for (i, compound) in self.compiled.compounds.iter().enumerate() {
            let with = compound.with_any.iter().find(|k| found.contains_key(*k)).copied();
            if with.is_none() && !compound.with_any.is_empty() {
                continue;
            }
            if compound.max_age.is_some() || compound.min_age.is_some() {
                let (lo, hi) = (compound.min_age.unwrap_or(0), compound.max_age.unwrap_or(120));
                mentions.extend(compound::age_mentions(scope, lo, hi).into_iter().map(|(s, e)| (i, s, e)));
            }
            let window = self.compiled.negation_window;
            let Some(&(_, s, e)) = mentions
                .iter()
                .find(|(m, s, e)| *m == i && matches!(scope.judge(*s, *e, window), Verdict::Keep(_)))
            else {
                continue;
            };
            let (os, oe) = norm.original_span(s, e);
            let entry = found.entry(compound.signal).or_insert((Modality::Asserted, Vec::new()));
            if entry.1.len() < MAX_EVIDENCE {
                entry.1.push(Evidence::Phrase {
                    text: narrative.get(os..oe).unwrap_or("").to_string(),
                    span: Span { start: os, end: oe },
                    term: with.map_or_else(|| "mention".to_string(), |w| format!("mention with {w}")),
                    fuzzy: false,
                    modality: Modality::Asserted,
                });
            }
        }
    }

    /// Adds matches for misspelt words that no exact term covered.
    fn fuzzy_hits(&self, scope: &Scope<'_>, hits: &mut Vec<Hit>) {
        let c = &self.compiled;
        if c.fuzzy.is_empty() {
            return;
        }
        // Bytes already covered by an exact term: linear, so huge narratives stay linear.
        let mut covered = vec![false; scope.text.len()];
        for h in hits.iter() {
            if let Some(bytes) = covered.get_mut(h.start..h.end) {
                bytes.fill(true);
            }
        }
        for &(start, end) in &scope.words {
            let Some(word) = scope.text.get(start..end) else { continue };
            let len = word.len();
            if len + 1 < c.fuzzy_min_len || len > 40 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            if c.exact_words.contains(word)
                || c.fuzzy_exclude.contains(word)
                || covered.get(start..end).is_some_and(|b| b.iter().any(|c| *c))
            {
                continue;
            }
            let mut matched: Option<usize> = None;
            for variant in fuzzy::deletion_variants(word) {
                let Some(terms) = c.fuzzy.get(&variant) else { continue };
                matched = terms.iter().copied().find(|t| {
                    c.terms.get(*t).is_some_and(|info| {
                        fuzzy::within_one_edit(&Normalised::new(&info.written).text, word)
                    })
                });
                if matched.is_some() {
                    break;
                }
            }
            if let Some(term) = matched {
                hits.push(Hit { term, start, end, fuzzy: true });
            }
        }
    }

    /// Checks a term's `near` / `unless_near` conditions.
    fn context_ok(&self, scope: &Scope<'_>, hit: &Hit, near: Option<Near>, unless: Option<Near>) -> bool {
        let has = |n: Near| {
            let set = self.compiled.sets.get(n.set);
            scope.words_near(hit.start, hit.end, n.window).any(|w| set.is_some_and(|s| s.contains(w)))
        };
        near.is_none_or(has) && !unless.is_some_and(has)
    }
}

/// Whether a match sits on word boundaries where its pattern asks for them.
fn boundaries_ok(text: &str, start: usize, end: usize, bound_start: bool, bound_end: bool) -> bool {
    let before_ok = !bound_start
        || text.get(..start).and_then(|t| t.chars().next_back()).is_none_or(|c| !is_word_char(c));
    let after_ok =
        !bound_end || text.get(end..).and_then(|t| t.chars().next()).is_none_or(|c| !is_word_char(c));
    before_ok && after_ok
}

/// The longest prefix of `s` no longer than `max` bytes that ends on a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut cut = max.min(s.len());
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.get(..cut).unwrap_or("")
}

#[cfg(test)]
mod tests;

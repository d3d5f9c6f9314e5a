//! Decides what a matched term means in its clause: negated ("no weapons seen"), hypothetical
//! ("what should I do if he brings a knife"), not real ("a stabbing on the telly"), hearsay
//! ("her sister told me he has a gun") or in doubt ("not sure if he has a knife"). Doubt and hearsay
//! keep the signal, flagged; only negation, hypotheticals and fiction discount it, and a discounted
//! match is still reported so nothing is silent.

use super::compile::CueKind;
use super::normalise::is_word_char;
use crate::signal::Modality;
use serde::{Deserialize, Serialize};

/// A cue found in the narrative (normalised byte offsets).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    pub kind: CueKind,
    pub start: usize,
    pub end: usize,
}

/// Why a match did not raise a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountReason {
    /// Negated ("no weapons seen", "injuries: none").
    Negated,
    /// A hypothetical or a general question ("what happens if").
    Hypothetical,
    /// Not about real events (film, TV, a game).
    NotReal,
}

/// What the scope rules decided for one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Keep(Modality),
    Discount(DiscountReason, usize, usize),
}

/// The narrative's structure: words, clause breaks and cues, all sorted by position.
pub(crate) struct Scope<'a> {
    pub text: &'a str,
    pub words: Vec<(usize, usize)>,
    pub breaks: Vec<usize>,
    pub cues: Vec<Cue>,
}

impl<'a> Scope<'a> {
    /// Finds words and punctuation clause breaks; cue breaks are added by the caller.
    pub fn new(text: &'a str) -> Self {
        let mut words = Vec::new();
        let mut breaks = Vec::new();
        let mut word_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if is_word_char(c) {
                word_start.get_or_insert(i);
            } else {
                if let Some(s) = word_start.take() {
                    words.push((s, i));
                }
                if matches!(c, '.' | '!' | '?' | ';' | '\n') {
                    breaks.push(i);
                }
            }
        }
        if let Some(s) = word_start {
            words.push((s, text.len()));
        }
        Scope { text, words, breaks, cues: Vec::new() }
    }

    /// Adds cues, turning clause-break cues into breaks.
    pub fn set_cues(&mut self, mut cues: Vec<Cue>) {
        cues.sort_by_key(|c| (c.start, c.end));
        for c in cues.iter().filter(|c| c.kind == CueKind::ClauseBreak) {
            self.breaks.push(c.start);
        }
        self.breaks.sort_unstable();
        self.cues = cues;
    }

    /// The clause containing `[start, end)`: from just after the previous break to the next one.
    fn clause(&self, start: usize, end: usize) -> (usize, usize) {
        let i = self.breaks.partition_point(|b| *b < start);
        let cs = if i == 0 { 0 } else { self.breaks.get(i - 1).map_or(0, |b| b + 1) };
        let j = self.breaks.partition_point(|b| *b < end);
        let ce = self.breaks.get(j).copied().unwrap_or(self.text.len());
        (cs, ce)
    }

    /// How many words start in `[a, b)`.
    pub fn words_between(&self, a: usize, b: usize) -> usize {
        if b <= a {
            return 0;
        }
        self.words.partition_point(|w| w.0 < b) - self.words.partition_point(|w| w.0 < a)
    }

    /// The words within `window` words either side of `[start, end)`.
    pub fn words_near(&self, start: usize, end: usize, window: usize) -> impl Iterator<Item = &'a str> + '_ {
        let first = self.words.partition_point(|w| w.0 < start).saturating_sub(window);
        let after = self.words.partition_point(|w| w.0 < end);
        let last = (after + window).min(self.words.len());
        self.words.get(first..last).unwrap_or(&[]).iter().filter_map(|(s, e)| self.text.get(*s..*e))
    }

    /// Whether a negation at `cue` still reaches a term starting at `hit`: a comma in between ends
    /// it, unless the term is the next item of a list ("no knives, guns or bats").
    fn negation_reaches(&self, cue: &Cue, hit: usize) -> bool {
        let between = self.text.get(cue.end..hit).unwrap_or("");
        if between.trim_start().starts_with(',') {
            return false; // "No, he's got a knife"
        }
        match between.rfind(',') {
            None => true,
            Some(comma) => {
                let after = between.get(comma + 1..).unwrap_or("").trim_start();
                self.words_between(cue.end + comma, hit) == 0
                    || after.starts_with("or ")
                    || after.starts_with("nor ")
                    || after.starts_with("and ")
            }
        }
    }

    /// Whether the text between a term and a following negation starts a new item ("a knife & no
    /// injuries", "a knife and no injuries"): the negation then belongs to that item, not the term.
    fn joins_another_item(&self, term_end: usize, cue_start: usize) -> bool {
        let between = self.text.get(term_end..cue_start).unwrap_or("");
        between.contains('&')
            || between.contains('+')
            || between.split(|c: char| !is_word_char(c)).any(|w| matches!(w, "and" | "with" | "plus"))
    }

    /// Judges the term matched at `[start, end)`.
    pub fn judge(&self, start: usize, end: usize, window: usize) -> Verdict {
        let (cs, ce) = self.clause(start, end);
        let lo = self.cues.partition_point(|c| c.start < cs);
        let hi = self.cues.partition_point(|c| c.start < ce);
        let in_clause = self.cues.get(lo..hi).unwrap_or(&[]);
        let mut modality = Modality::Asserted;
        for cue in in_clause {
            if cue.end > ce {
                continue;
            }
            match cue.kind {
                CueKind::Hypothetical => {
                    return Verdict::Discount(DiscountReason::Hypothetical, cue.start, cue.end);
                }
                CueKind::NotReal => return Verdict::Discount(DiscountReason::NotReal, cue.start, cue.end),
                CueKind::Negation
                    if cue.end <= start
                        && self.words_between(cue.end, start) <= window
                        && self.negation_reaches(cue, start) =>
                {
                    let doubt = in_clause.iter().any(|u| {
                        u.kind == CueKind::UncertaintyAfterNegation
                            && u.start >= cue.end
                            && u.end <= start
                            && self.words_between(cue.end, u.start) <= 1
                    });
                    if doubt {
                        modality = Modality::Uncertain;
                    } else {
                        return Verdict::Discount(DiscountReason::Negated, cue.start, cue.end);
                    }
                }
                CueKind::PostNegation
                    if cue.start >= end
                        && self.words_between(end, cue.start) <= 2
                        && !self.joins_another_item(end, cue.start) =>
                {
                    return Verdict::Discount(DiscountReason::Negated, cue.start, cue.end);
                }
                CueKind::Uncertain if cue.end <= start || cue.start >= end => modality = Modality::Uncertain,
                CueKind::Reported if cue.end <= start && modality == Modality::Asserted => {
                    modality = Modality::Reported;
                }
                _ => {}
            }
        }
        Verdict::Keep(modality)
    }
}

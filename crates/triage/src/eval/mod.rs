//! Measures the engine against the labelled corpus: per-signal precision and recall on narrative
//! signals, and a confusion table of recommended against expected grades. Used by the corpus test
//! (which fails when any signal's recall drops below 0.9) and by `firstcontact triage eval`.

mod report;

use crate::TriageError;
use crate::context::{ContactInput, PersonHistory};
use crate::engine::TriageEngine;
use crate::signal::{SignalKind, SignalSource};
use chrono::NaiveTime;
use fc_domain::{Channel, ContactFlag, Grade};
use serde::{Deserialize, Serialize};

/// The shipped corpus (JSON lines), also the source of narratives for the live demo.
pub const DEFAULT_CORPUS: &str = include_str!("../../corpus/narratives.jsonl");

/// One labelled narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusEntry {
    /// Stable id ("c001").
    pub id: String,
    /// The channel it arrived on.
    pub channel: Channel,
    /// The narrative.
    pub narrative: String,
    /// The narrative signals a careful handler would see.
    pub signals: Vec<SignalKind>,
    /// The grade a careful handler would give.
    pub grade: Grade,
    /// Contact flags (silent 999, caller is a child...), by their wire names (`silent_999`).
    #[serde(default, deserialize_with = "flags_by_wire_name", serialize_with = "flags_as_wire_names")]
    pub flags: Vec<ContactFlag>,
    /// Local hour of the contact, where it matters.
    #[serde(default)]
    pub hour: Option<u32>,
}

/// Reads flags by `ContactFlag::as_str` names. fc-domain's serde derive spells `Silent999` as
/// `silent999`, unlike its own wire name `silent_999`; the corpus uses the wire name.
fn flags_by_wire_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ContactFlag>, D::Error> {
    let names: Vec<String> = Vec::deserialize(d)?;
    names.iter().map(|n| n.parse().map_err(serde::de::Error::custom)).collect()
}

fn flags_as_wire_names<S: serde::Serializer>(flags: &[ContactFlag], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(flags.iter().map(|f| f.as_str()))
}

impl CorpusEntry {
    /// The entry as an engine input.
    pub fn contact(&self) -> ContactInput<'_> {
        ContactInput {
            channel: self.channel,
            narrative: &self.narrative,
            flags: &self.flags,
            local_time: self.hour.and_then(|h| NaiveTime::from_hms_opt(h, 0, 0)),
            location_confidence: None,
        }
    }
}

/// Parses a corpus in JSON lines (blank lines ignored).
pub fn parse_corpus(jsonl: &str) -> Result<Vec<CorpusEntry>, TriageError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| TriageError::config("corpus", format!("line {}: {e}", i + 1)))
        })
        .collect()
}

/// The shipped corpus, parsed.
pub fn default_corpus() -> Result<Vec<CorpusEntry>, TriageError> {
    parse_corpus(DEFAULT_CORPUS)
}

/// Counts for one signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalScore {
    /// The signal.
    pub kind: SignalKind,
    /// Found and expected.
    pub true_positives: u32,
    /// Found, not expected.
    pub false_positives: u32,
    /// Expected, not found.
    pub false_negatives: u32,
}

impl SignalScore {
    /// Share of found signals that were expected (1.0 when none were found).
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    /// Share of expected signals that were found (1.0 when none were expected).
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }
}

fn ratio(n: u32, d: u32) -> f64 {
    if d == 0 { 1.0 } else { f64::from(n) / f64::from(d) }
}

/// A narrative where the engine and the label disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Corpus id.
    pub id: String,
    /// Signals expected but not found.
    pub missed: Vec<SignalKind>,
    /// Signals found but not expected.
    pub extra: Vec<SignalKind>,
    /// Expected grade.
    pub expected_grade: Grade,
    /// Recommended grade.
    pub recommended_grade: Grade,
}

/// The evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalReport {
    /// How many narratives.
    pub narratives: usize,
    /// Per narrative signal, in display order.
    pub signals: Vec<SignalScore>,
    /// `confusion[expected - 1][recommended - 1]`.
    pub confusion: [[u32; 4]; 4],
    /// Every narrative with a signal or grade disagreement.
    pub disagreements: Vec<Disagreement>,
}

impl EvalReport {
    /// Share of narratives whose recommended grade equals the label.
    pub fn grade_accuracy(&self) -> f64 {
        let right: u32 = (0..4).map(|i| self.confusion[i][i]).sum();
        let total: u32 = self.confusion.iter().flatten().sum();
        ratio(right, total)
    }

    /// The score for one signal.
    pub fn score(&self, kind: SignalKind) -> Option<&SignalScore> {
        self.signals.iter().find(|s| s.kind == kind)
    }
}

/// Runs the engine over the corpus (no history: the corpus is about narratives and contact facts).
pub fn evaluate(engine: &TriageEngine, corpus: &[CorpusEntry]) -> EvalReport {
    let mut signals: Vec<SignalScore> = SignalKind::NARRATIVE
        .iter()
        .map(|k| SignalScore { kind: *k, true_positives: 0, false_positives: 0, false_negatives: 0 })
        .collect();
    let mut confusion = [[0u32; 4]; 4];
    let mut disagreements = Vec::new();
    let history = PersonHistory::default();
    for entry in corpus {
        let a = engine.assess(&entry.contact(), &history, None);
        let found: Vec<SignalKind> =
            a.signals.iter().filter(|s| s.source == SignalSource::Narrative).map(|s| s.kind).collect();
        for score in &mut signals {
            match (entry.signals.contains(&score.kind), found.contains(&score.kind)) {
                (true, true) => score.true_positives += 1,
                (false, true) => score.false_positives += 1,
                (true, false) => score.false_negatives += 1,
                (false, false) => {}
            }
        }
        let recommended = a.recommendation.grade;
        let (e, r) = (usize::from(entry.grade.number()) - 1, usize::from(recommended.number()) - 1);
        if let Some(cell) = confusion.get_mut(e).and_then(|row| row.get_mut(r)) {
            *cell += 1;
        }
        let missed: Vec<SignalKind> = entry.signals.iter().copied().filter(|k| !found.contains(k)).collect();
        let extra: Vec<SignalKind> = found.iter().copied().filter(|k| !entry.signals.contains(k)).collect();
        if !missed.is_empty() || !extra.is_empty() || recommended != entry.grade {
            disagreements.push(Disagreement {
                id: entry.id.clone(),
                missed,
                extra,
                expected_grade: entry.grade,
                recommended_grade: recommended,
            });
        }
    }
    EvalReport { narratives: corpus.len(), signals, confusion, disagreements }
}

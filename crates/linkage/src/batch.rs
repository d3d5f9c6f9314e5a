//! Batch mode: deduplicate a data set, or link two, in parallel. Normalise into a [`Dataset`],
//! then [`dedupe`] or [`link`]: block, compare and score every candidate pair (rayon), keep the
//! links above the review threshold, and cluster those above the link threshold. Progress goes to
//! a [`Progress`] the caller implements (the CLI draws a bar); the library prints nothing.

use crate::blocking::{BlockingStats, candidate_pairs, unpack_pair};
use crate::cluster::{Clustering, Link, cluster};
use crate::model::Model;
use crate::normalise::{FieldIssue, Normaliser};
use crate::record::{RawRecord, Record};
use crate::vocab::Vocabs;
use rayon::prelude::*;

/// Receives progress; every method has a no-op default.
pub trait Progress: Sync {
    /// A stage begins with `total` units of work.
    fn start(&self, _stage: &str, _total: u64) {}
    /// `n` more units are done.
    fn advance(&self, _n: u64) {}
    /// All stages are done.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Normalised records with their vocabularies and the problems found on the way in.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    /// Records, indexed by position.
    pub records: Vec<Record>,
    /// Interned strings and term frequencies.
    pub vocabs: Vocabs,
    /// Field problems, by record index.
    pub issues: Vec<(u32, FieldIssue)>,
}

impl Dataset {
    /// An empty data set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalises and adds a record; returns its index.
    pub fn push(&mut self, raw: &RawRecord<'_>, normaliser: &Normaliser) -> u32 {
        let (rec, issues) = normaliser.normalise(raw, &mut self.vocabs);
        let id = self.records.len() as u32;
        self.records.push(rec);
        self.issues.extend(issues.into_iter().map(|i| (id, i)));
        id
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// What a batch run produced.
#[derive(Debug, Clone, Default)]
pub struct BatchOutput {
    /// Scored links at or above the review threshold.
    pub links: Vec<Link>,
    /// Persons formed from links at or above the link threshold.
    pub clustering: Clustering,
    /// Blocking counts, including comparisons made.
    pub blocking: BlockingStats,
}

/// Deduplicates `data` into persons.
pub fn dedupe(data: &Dataset, model: &Model, progress: &dyn Progress) -> BatchOutput {
    run(data, model, progress, &|_, _| true)
}

/// Links records `0..split` of `data` to records `split..`; pairs within one side are not compared.
pub fn link(data: &Dataset, split: u32, model: &Model, progress: &dyn Progress) -> BatchOutput {
    run(data, model, progress, &|a, b| (a < split) != (b < split))
}

fn run<F: Fn(u32, u32) -> bool + Sync>(
    data: &Dataset,
    model: &Model,
    progress: &dyn Progress,
    keep: &F,
) -> BatchOutput {
    let records = &data.records;
    let s = &data.vocabs;
    let scorer = model.scorer(records.len());
    progress.start("blocking", model.blocking.rules.len() as u64);
    let (pairs, blocking) =
        candidate_pairs(records, s, &model.blocking.rules, model.blocking.max_block, keep);
    progress.advance(model.blocking.rules.len() as u64);
    progress.start("comparing", pairs.len() as u64);
    let review = scorer.review_weight;
    let links: Vec<Link> = pairs
        .par_chunks(16_384)
        .flat_map_iter(|chunk| {
            let out: Vec<Link> = chunk
                .iter()
                .filter_map(|&p| {
                    let (a, b) = unpack_pair(p);
                    let (ra, rb) = (&records[a as usize], &records[b as usize]);
                    let (_, w) = scorer.score(ra, rb, s);
                    (w >= review).then_some(Link { a, b, weight: w as f32 })
                })
                .collect();
            progress.advance(chunk.len() as u64);
            out
        })
        .collect();
    progress.start("clustering", 1);
    let clustering =
        cluster(records.len(), &links, scorer.link_weight, model.blocking.max_cluster, records, &scorer, s);
    progress.advance(1);
    progress.finish();
    BatchOutput { links, clustering, blocking }
}

//! Batch mode: deduplicate a data set, or link two, in parallel. Normalise into a [`Dataset`],
//! then [`dedupe`] or [`link`]: block, compare and score every candidate pair (rayon), keep the
//! links above the review threshold, and cluster those above the link threshold. Progress goes to
//! a [`Progress`] the caller implements (the CLI draws a bar); the library prints nothing.

use crate::blocking::BlockingStats;
use crate::blocking::blocks::Blocks;
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
    /// Scored links at or above the review threshold, in no particular order.
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
    let rules = &model.blocking.rules;
    progress.start("blocking", rules.len() as u64);
    let blocks = Blocks::build(records, s, rules, model.blocking.max_block);
    progress.advance(rules.len() as u64);
    progress.start("comparing", blocks.pairs_upper_bound());
    let review = scorer.review_weight;
    // Each block's pairs are compared where they lie (its records stay in cache); per-rule pair
    // counts and links are gathered per rayon job and merged at the end.
    let (links, totals) = (0..blocks.len())
        .into_par_iter()
        .with_min_len(256)
        .fold(
            || (Vec::new(), vec![(0u64, 0u64); rules.len()], 0u64),
            |(mut links, mut totals, mut pending), i| {
                let visit = blocks.visit(i, keep, |a, b| {
                    let (_, w) = scorer.score(&records[a as usize], &records[b as usize], s);
                    if w >= review {
                        links.push(Link { a, b, weight: w as f32 });
                    }
                });
                if let Some(t) = totals.get_mut(visit.rule) {
                    t.0 += visit.pairs;
                    t.1 += visit.new_pairs;
                }
                pending += visit.pairs;
                if pending >= 1 << 16 {
                    progress.advance(pending);
                    pending = 0;
                }
                (links, totals, pending)
            },
        )
        .map(|(links, totals, pending)| {
            progress.advance(pending);
            (links, totals)
        })
        .reduce(
            || (Vec::new(), vec![(0u64, 0u64); rules.len()]),
            |(mut links, mut totals), (more, other)| {
                links.extend(more);
                for (t, o) in totals.iter_mut().zip(other) {
                    t.0 += o.0;
                    t.1 += o.1;
                }
                (links, totals)
            },
        );
    let blocking = blocks.stats(&totals);
    progress.start("clustering", 1);
    let clustering =
        cluster(records.len(), &links, scorer.link_weight, model.blocking.max_cluster, records, &scorer, s);
    progress.advance(1);
    progress.finish();
    BatchOutput { links, clustering, blocking }
}

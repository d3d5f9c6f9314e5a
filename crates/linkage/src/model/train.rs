//! Training without labels: u-probabilities from random record pairs (almost all non-matches),
//! m-probabilities by expectation-maximisation over blocked pairs, one EM session per training rule
//! with the rule's own fields held out (they agree by construction, so their m cannot be learnt
//! there), and the prior from the share of matches among all candidate pairs. Deterministic: the
//! seed comes in as an argument.

use super::{FieldModel, HOUSEHOLD_FIELDS, HouseholdU, Model, TrainingSummary};
use crate::batch::Progress;
use crate::blocking::{Rule, candidate_pairs, rule_pairs, unpack_pair};
use crate::compare::{FIELDS, GIVEN_DIFFERENT, Gamma, N_FIELDS, SURNAME_EXACT, compare, pack, unpack};
use crate::error::LinkageError;
use crate::hash::IdentityBuild;
use crate::record::Record;
use crate::vocab::Strings;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::HashMap;

/// Training settings; the defaults suit a few hundred thousand to tens of millions of records.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Seed for sampling (same seed and data give the same model).
    pub seed: u64,
    /// Random pairs sampled to estimate u.
    pub u_pairs: usize,
    /// Blocked pairs used per EM session.
    pub em_pairs: usize,
    /// EM iteration cap.
    pub max_iterations: usize,
    /// Stop when no m moves more than this.
    pub tolerance: f64,
    /// Rules whose pairs train m (between them every field must be estimable).
    pub rules: Vec<Rule>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            u_pairs: 2_000_000,
            em_pairs: 1_000_000,
            max_iterations: 50,
            tolerance: 1e-5,
            rules: vec![Rule::NameSounds, Rule::DobInitial, Rule::SurnameSoundexDob, Rule::PostcodeInitial],
        }
    }
}

/// Smallest records count worth training on.
pub const MIN_RECORDS: usize = 100;

type Table = [[f64; 8]; N_FIELDS];

fn table(fields: &[FieldModel], m: bool) -> Table {
    let mut t = [[0.0; 8]; N_FIELDS];
    for (i, fm) in fields.iter().enumerate().take(N_FIELDS) {
        let v = if m { &fm.m } else { &fm.u };
        for (l, p) in v.iter().enumerate().take(8) {
            t[i][l] = *p;
        }
    }
    t
}

/// Estimates u by comparing `pairs` random record pairs.
pub fn estimate_u<S: Strings + ?Sized>(records: &[Record], s: &S, pairs: usize, seed: u64) -> Table {
    let n = records.len();
    let chunks = 64usize;
    let per = pairs.div_ceil(chunks);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut t = [[0u64; 8]; N_FIELDS];
            for _ in 0..per {
                let a = rng.random_range(0..n);
                let b = rng.random_range(0..n);
                if a == b {
                    continue;
                }
                let g = compare(&records[a], &records[b], s);
                for (f, &l) in g.iter().enumerate() {
                    t[f][usize::from(l)] += 1;
                }
            }
            t
        })
        .reduce(
            || [[0u64; 8]; N_FIELDS],
            |mut x, y| {
                for f in 0..N_FIELDS {
                    for l in 0..8 {
                        x[f][l] += y[f][l];
                    }
                }
                x
            },
        );
    let mut u = [[0.0; 8]; N_FIELDS];
    for f in 0..N_FIELDS {
        let seen: u64 = counts[f][1..].iter().sum();
        let levels = FIELDS[f].levels().len();
        for l in 1..levels {
            // Half a count for never-seen levels: rare is not impossible.
            u[f][l] = (counts[f][l] as f64).max(0.5) / (seen.max(1) as f64);
        }
    }
    u
}

/// Estimates location u-probabilities among different people of one household: pairs sharing a
/// surname whose given names clearly differ (almost never the same person).
pub fn estimate_household_u<S: Strings + ?Sized>(
    records: &[Record],
    s: &S,
    max_block: usize,
    cap: usize,
) -> Vec<HouseholdU> {
    let mut keys: Vec<(u32, u32)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.surname != crate::vocab::NONE)
        .map(|(i, r)| (r.surname, i as u32))
        .collect();
    keys.par_sort_unstable();
    let mut pairs = Vec::new();
    let mut start = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i].0 != keys[start].0 {
            if i - start <= max_block.min(50) {
                for x in start..i {
                    for y in x + 1..i {
                        pairs.push((keys[x].1, keys[y].1));
                    }
                }
            }
            start = i;
            if pairs.len() >= cap {
                break;
            }
        }
    }
    let counts = pairs
        .par_iter()
        .fold(
            || [[0u64; 8]; N_FIELDS],
            |mut t, &(a, b)| {
                let g = compare(&records[a as usize], &records[b as usize], s);
                if g[0] == GIVEN_DIFFERENT && g[1] == SURNAME_EXACT {
                    for (f, &l) in g.iter().enumerate() {
                        t[f][usize::from(l)] += 1;
                    }
                }
                t
            },
        )
        .reduce(
            || [[0u64; 8]; N_FIELDS],
            |mut x, y| {
                for f in 0..N_FIELDS {
                    for l in 0..8 {
                        x[f][l] += y[f][l];
                    }
                }
                x
            },
        );
    HOUSEHOLD_FIELDS
        .iter()
        .map(|&field| {
            let c = &counts[field as usize];
            let seen: u64 = c[1..].iter().sum();
            let n = field.levels().len();
            let u = (0..n)
                .map(|l| if l == 0 { 0.0 } else { (c[l] as f64).max(0.5) / (seen.max(1) as f64 + 0.5) })
                .collect();
            HouseholdU { field, u }
        })
        .collect()
}

fn patterns<S: Strings + ?Sized>(
    records: &[Record],
    s: &S,
    pairs: &[u64],
    mask: &[bool; N_FIELDS],
) -> Vec<(Gamma, f64)> {
    let map = pairs
        .par_chunks(65_536)
        .map(|chunk| {
            let mut m: HashMap<u32, u64, IdentityBuild> = HashMap::default();
            for &p in chunk {
                let (a, b) = unpack_pair(p);
                let mut g = compare(&records[a as usize], &records[b as usize], s);
                for (l, &masked) in g.iter_mut().zip(mask) {
                    if masked {
                        *l = 0;
                    }
                }
                *m.entry(pack(&g)).or_default() += 1;
            }
            m
        })
        .reduce(HashMap::default, |mut x, y| {
            for (k, v) in y {
                *x.entry(k).or_default() += v;
            }
            x
        });
    map.into_iter().map(|(k, c)| (unpack(k), c as f64)).collect()
}

fn posterior(g: &Gamma, m: &Table, u: &Table, lambda: f64) -> f64 {
    let mut log_ratio = (lambda / (1.0 - lambda)).ln();
    for (f, &l) in g.iter().enumerate() {
        if l != 0 {
            log_ratio += (m[f][usize::from(l)].max(1e-9) / u[f][usize::from(l)].max(1e-9)).ln();
        }
    }
    1.0 / (1.0 + (-log_ratio).exp())
}

/// Runs EM for m (fields in `mask` left alone) and lambda; u stays fixed. Returns iterations.
fn em(
    pats: &[(Gamma, f64)],
    m: &mut Table,
    u: &Table,
    mask: &[bool; N_FIELDS],
    lambda: &mut f64,
    opts: &TrainOptions,
) -> usize {
    for it in 1..=opts.max_iterations {
        let mut num = [[0.0; 8]; N_FIELDS];
        let (mut matched, mut total) = (0.0, 0.0);
        for (g, c) in pats {
            let p = posterior(g, m, u, *lambda);
            matched += p * c;
            total += c;
            for (f, &l) in g.iter().enumerate() {
                num[f][usize::from(l)] += p * c;
            }
        }
        let mut delta: f64 = 0.0;
        for f in 0..N_FIELDS {
            if mask[f] {
                continue;
            }
            let denom: f64 = num[f][1..].iter().sum();
            if denom <= 0.0 {
                continue;
            }
            for l in 1..FIELDS[f].levels().len() {
                let new = (num[f][l] / denom).max(1e-6);
                delta = delta.max((new - m[f][l]).abs());
                m[f][l] = new;
            }
        }
        *lambda = (matched / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
        if delta < opts.tolerance {
            return it;
        }
    }
    opts.max_iterations
}

fn sample(mut pairs: Vec<u64>, k: usize, rng: &mut ChaCha8Rng) -> Vec<u64> {
    if pairs.len() > k {
        for i in 0..k {
            let j = rng.random_range(i..pairs.len());
            pairs.swap(i, j);
        }
        pairs.truncate(k);
    }
    pairs
}

/// Trains a model on `records`, starting from `base` (its thresholds and blocking are kept).
pub fn train<S: Strings + ?Sized>(
    records: &[Record],
    s: &S,
    base: &Model,
    opts: &TrainOptions,
    progress: &dyn Progress,
) -> Result<Model, LinkageError> {
    if records.len() < MIN_RECORDS {
        return Err(LinkageError::TooFewRecords { needed: MIN_RECORDS, got: records.len() });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    progress.start("estimating u from random pairs", 1);
    let u = estimate_u(records, s, opts.u_pairs, opts.seed);
    let household_u = estimate_household_u(records, s, base.blocking.max_block, opts.u_pairs);
    progress.advance(1);
    let m0 = table(&base.fields, true);
    let mut sums = [[0.0; 8]; N_FIELDS];
    let mut sessions = [0usize; N_FIELDS];
    let mut iterations = Vec::new();
    progress.start("EM sessions", opts.rules.len() as u64);
    for &rule in &opts.rules {
        let (pairs, _) = rule_pairs(records, s, rule, base.blocking.max_block, &|_, _| true);
        let pairs = sample(pairs, opts.em_pairs, &mut rng);
        let mut mask = [false; N_FIELDS];
        for f in rule.fields() {
            mask[*f as usize] = true;
        }
        let pats = patterns(records, s, &pairs, &mask);
        let mut m = m0;
        let mut lambda = 0.2;
        iterations.push((rule, em(&pats, &mut m, &u, &mask, &mut lambda, opts)));
        for f in 0..N_FIELDS {
            if !mask[f] {
                sessions[f] += 1;
                for l in 0..8 {
                    sums[f][l] += m[f][l];
                }
            }
        }
        progress.advance(1);
    }
    let mut m = m0;
    for f in 0..N_FIELDS {
        if sessions[f] > 0 {
            for l in 0..8 {
                m[f][l] = sums[f][l] / sessions[f] as f64;
            }
        }
    }
    // Prior: share of matches among all candidate pairs (EM on lambda alone), scaled to records.
    progress.start("estimating the prior", 1);
    let (all, stats) =
        candidate_pairs(records, s, &base.blocking.rules, base.blocking.max_block, &|_, _| true);
    let pats = patterns(records, s, &sample(all, opts.em_pairs * 2, &mut rng), &[false; N_FIELDS]);
    let mut lambda = 0.1;
    for _ in 0..opts.max_iterations {
        let (mut matched, mut total) = (0.0, 0.0);
        for (g, c) in &pats {
            matched += posterior(g, &m, &u, lambda) * c;
            total += c;
        }
        lambda = (matched / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
    }
    progress.advance(1);
    progress.finish();
    let matches = lambda * stats.comparisons as f64;
    let fields = FIELDS
        .iter()
        .enumerate()
        .map(|(f, &field)| {
            let n = field.levels().len();
            let mut mv: Vec<f64> = m[f][..n].to_vec();
            let mut uv: Vec<f64> = u[f][..n].to_vec();
            mv[0] = 0.0;
            uv[0] = 0.0;
            FieldModel { field, m: mv, u: uv }
        })
        .collect();
    let model = Model {
        fields,
        household_u,
        matches_per_record: (2.0 * matches / records.len() as f64).max(1e-3),
        training: Some(TrainingSummary {
            records: records.len(),
            u_pairs: opts.u_pairs,
            em_iterations: iterations,
            seed: opts.seed,
        }),
        ..base.clone()
    };
    model.validate()?;
    Ok(model)
}

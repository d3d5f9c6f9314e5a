//! The Fellegi-Sunter model: per field and level, the probability of that level among true
//! matches (m) and among random pairs (u). A pair's match weight is the sum of log2(m/u) over its
//! fields, adjusted for how common an agreeing name is, plus the prior log-odds of a match. The
//! model is data (versioned JSON); [`Scorer`] is the compiled form used on the hot path.

mod explain;
pub mod train;

pub use explain::{Contribution, Explanation};

use crate::blocking::Rule;
use crate::compare::{FIELDS, Field, Gamma, N_FIELDS, compare};
use crate::error::LinkageError;
use crate::record::Record;
use crate::vocab::{Kind, Strings};
use serde::{Deserialize, Serialize};

/// The model file format version this engine writes and reads.
pub const MODEL_VERSION: u32 = 1;

/// Parameters of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldModel {
    /// Which field.
    pub field: Field,
    /// P(level | match), index = level; index 0 (missing) is unused.
    pub m: Vec<f64>,
    /// P(level | non-match), index = level; index 0 unused.
    pub u: Vec<f64>,
}

/// u-probabilities of a location or contact field among different people of one household
/// (estimated on pairs whose surnames agree and given names clearly differ). A shared address is strong evidence between
/// strangers but weak between relatives, so those pairs are weighed with these instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdU {
    /// Which field (postcode, address, phone or geo).
    pub field: Field,
    /// P(level | same household, different person), index = level.
    pub u: Vec<f64>,
}

/// Fields weighed as household evidence.
pub const HOUSEHOLD_FIELDS: [Field; 4] = [Field::Postcode, Field::Address, Field::Phone, Field::Geo];

fn default_household_u() -> Vec<HouseholdU> {
    let h = |field, u: &[f64]| HouseholdU { field, u: u.to_vec() };
    vec![
        h(Field::Postcode, &[0.0, 0.5, 0.02, 0.03, 0.05, 0.4]),
        h(Field::Address, &[0.0, 0.5, 0.05, 0.45]),
        h(Field::Phone, &[0.0, 0.2, 0.001, 0.8]),
        h(Field::Geo, &[0.0, 0.2, 0.2, 0.2, 0.4]),
    ]
}

/// Decision thresholds on the match probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At or above: link automatically (and cluster).
    pub link: f64,
    /// At or above (and below `link`): send to a person to review.
    pub review: f64,
}

/// How candidate pairs are found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockingConfig {
    /// Rules whose candidate pairs are combined.
    pub rules: Vec<Rule>,
    /// Blocks larger than this are not expanded into pairs (they are counted and reported).
    pub max_block: usize,
    /// Largest number of candidates a real-time match looks at per rule.
    pub max_candidates_per_rule: usize,
    /// Largest cluster the batch clustering will build (a guard against runaway chains).
    pub max_cluster: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        Self { rules: Rule::ALL.to_vec(), max_block: 500, max_candidates_per_rule: 200, max_cluster: 60 }
    }
}

/// What training saw, kept in the file for whoever reads it later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Records trained on.
    pub records: usize,
    /// Random pairs sampled to estimate u.
    pub u_pairs: usize,
    /// EM iterations run, per training rule.
    pub em_iterations: Vec<(Rule, usize)>,
    /// Seed of the random sampling.
    pub seed: u64,
}

/// A trained (or default) linkage model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// File format version ([`MODEL_VERSION`]).
    pub version: u32,
    /// Parameters per field, in [`FIELDS`] order.
    pub fields: Vec<FieldModel>,
    /// Expected number of other records of the same person per record (sets the prior, which
    /// then scales with the size of the data set or index).
    pub matches_per_record: f64,
    /// Apply term-frequency adjustments to exact name agreement.
    pub term_frequency: bool,
    /// Location and contact u-probabilities within a household (see [`HouseholdU`]).
    #[serde(default = "default_household_u")]
    pub household_u: Vec<HouseholdU>,
    /// Decision thresholds.
    pub thresholds: Thresholds,
    /// Blocking settings.
    pub blocking: BlockingConfig,
    /// Training provenance; `None` for the built-in default.
    pub training: Option<TrainingSummary>,
}

impl Default for Model {
    /// Hand-set parameters: usable before any training and the starting point of EM.
    fn default() -> Self {
        let f = |field, m: &[f64], u: &[f64]| FieldModel { field, m: m.to_vec(), u: u.to_vec() };
        Self {
            version: MODEL_VERSION,
            fields: vec![
                f(
                    Field::GivenName,
                    &[0.0, 0.8, 0.05, 0.02, 0.07, 0.03, 0.01, 0.02],
                    &[0.0, 0.01, 0.002, 0.0001, 0.005, 0.03, 0.01, 0.94],
                ),
                f(
                    Field::Surname,
                    &[0.0, 0.85, 0.02, 0.08, 0.03, 0.02],
                    &[0.0, 0.002, 0.0001, 0.002, 0.02, 0.97],
                ),
                f(
                    Field::Dob,
                    &[0.0, 0.83, 0.02, 0.02, 0.05, 0.04, 0.02, 0.02],
                    &[0.0, 0.0001, 0.0001, 0.0003, 0.003, 0.01, 0.05, 0.93],
                ),
                f(
                    Field::Postcode,
                    &[0.0, 0.75, 0.03, 0.05, 0.07, 0.1],
                    &[0.0, 0.0001, 0.001, 0.01, 0.05, 0.94],
                ),
                f(Field::Address, &[0.0, 0.75, 0.05, 0.2], &[0.0, 0.0001, 0.001, 0.999]),
                f(Field::Phone, &[0.0, 0.8, 0.05, 0.15], &[0.0, 0.00001, 0.0001, 0.9999]),
                f(Field::Email, &[0.0, 0.85, 0.05, 0.1], &[0.0, 0.00001, 0.0001, 0.9999]),
                f(Field::Geo, &[0.0, 0.5, 0.3, 0.15, 0.05], &[0.0, 0.0001, 0.001, 0.02, 0.98]),
            ],
            matches_per_record: 1.0,
            term_frequency: true,
            household_u: default_household_u(),
            thresholds: Thresholds { link: 0.5, review: 0.05 },
            blocking: BlockingConfig::default(),
            training: None,
        }
    }
}

impl Model {
    /// Serialises to pretty JSON (the on-disk format).
    pub fn to_json(&self) -> Result<String, LinkageError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Reads and validates a model from JSON.
    pub fn from_json(s: &str) -> Result<Self, LinkageError> {
        let model: Model = serde_json::from_str(s)?;
        model.validate()?;
        Ok(model)
    }

    /// Checks version, shape and probability ranges, so a hand-edited file cannot crash scoring.
    pub fn validate(&self) -> Result<(), LinkageError> {
        if self.version != MODEL_VERSION {
            return Err(LinkageError::ModelVersion { found: self.version, expected: MODEL_VERSION });
        }
        let bad = |m: String| Err(LinkageError::ModelInvalid(m));
        if self.fields.len() != N_FIELDS {
            return bad(format!("expected {N_FIELDS} fields, found {}", self.fields.len()));
        }
        for (fm, f) in self.fields.iter().zip(FIELDS) {
            if fm.field != f {
                return bad(format!("field {:?} is out of order (expected {:?})", fm.field, f));
            }
            let n = f.levels().len();
            if fm.m.len() != n || fm.u.len() != n {
                return bad(format!("{} needs {n} levels", f.name()));
            }
            if fm.m.iter().chain(&fm.u).any(|p| !p.is_finite() || !(0.0..=1.0).contains(p)) {
                return bad(format!("{} has a probability outside 0..=1", f.name()));
            }
        }
        for h in &self.household_u {
            if !HOUSEHOLD_FIELDS.contains(&h.field) || h.u.len() != h.field.levels().len() {
                return bad(format!("household u for {} has the wrong shape", h.field.name()));
            }
            if h.u.iter().any(|p| !p.is_finite() || !(0.0..=1.0).contains(p)) {
                return bad(format!("household u for {} is outside 0..=1", h.field.name()));
            }
        }
        let t = self.thresholds;
        if !(0.0..=1.0).contains(&t.link) || !(0.0..=1.0).contains(&t.review) || t.review > t.link {
            return bad("thresholds must satisfy 0 <= review <= link <= 1".into());
        }
        if !(self.matches_per_record.is_finite() && self.matches_per_record > 0.0) {
            return bad("matches_per_record must be positive".into());
        }
        if self.blocking.rules.is_empty() || self.blocking.max_block < 2 {
            return bad("blocking needs at least one rule and max_block >= 2".into());
        }
        Ok(())
    }

    /// Compiles the model for a population of `population` records.
    pub fn scorer(&self, population: usize) -> Scorer {
        Scorer::new(self, population)
    }
}

/// Smallest probability used in a weight, so an unseen level cannot give an infinite weight.
const P_FLOOR: f64 = 1e-6;
/// Largest term-frequency adjustment either way, in bits.
const TF_CAP: f64 = 6.0;

/// Converts a match weight (log2 odds) to a probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Converts a probability to a match weight.
pub fn weight_of(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

/// A model compiled to a weight table for fast scoring.
#[derive(Debug, Clone)]
pub struct Scorer {
    weights: [[f64; 8]; N_FIELDS],
    household: [[f64; 8]; N_FIELDS],
    u_exact_given: f64,
    u_exact_surname: f64,
    term_frequency: bool,
    /// Prior log2-odds that two records match.
    pub prior: f64,
    /// Link threshold as a weight.
    pub link_weight: f64,
    /// Review threshold as a weight.
    pub review_weight: f64,
}

impl Scorer {
    /// Compiles `model` for a population of `population` records (the prior depends on it).
    pub fn new(model: &Model, population: usize) -> Self {
        let mut weights = [[0.0; 8]; N_FIELDS];
        for (i, fm) in model.fields.iter().enumerate().take(N_FIELDS) {
            for (l, weight) in weights[i].iter_mut().enumerate().take(fm.m.len().min(8)).skip(1) {
                *weight = (fm.m[l].max(P_FLOOR) / fm.u[l].max(P_FLOOR)).log2();
            }
        }
        let mut household = weights;
        for h in &model.household_u {
            let (i, fm) = (h.field as usize, &model.fields[h.field as usize]);
            let levels = h.u.len().min(8).min(fm.m.len());
            for (l, weight) in household[i].iter_mut().enumerate().take(levels).skip(1) {
                *weight = (fm.m[l].max(P_FLOOR) / h.u[l].max(P_FLOOR)).log2();
            }
        }
        let lambda = (model.matches_per_record / (population.max(2) - 1) as f64).clamp(1e-12, 0.5);
        let u = |f: Field| model.fields.get(f as usize).and_then(|fm| fm.u.get(1)).copied().unwrap_or(0.01);
        Self {
            weights,
            household,
            u_exact_given: u(Field::GivenName).max(P_FLOOR),
            u_exact_surname: u(Field::Surname).max(P_FLOOR),
            term_frequency: model.term_frequency,
            prior: weight_of(lambda),
            link_weight: weight_of(model.thresholds.link),
            review_weight: weight_of(model.thresholds.review),
        }
    }

    /// The weight of one field at one level (no term-frequency adjustment), for a pair whose
    /// levels are `g` (which decides whether household weights apply).
    pub fn field_weight(&self, g: &Gamma, field: Field, level: u8) -> f64 {
        let table = if is_household(g) { &self.household } else { &self.weights };
        if level == 0 { 0.0 } else { table[field as usize][usize::from(level.min(7))] }
    }

    /// Term-frequency adjustment for exact name agreement: positive for rare names.
    fn tf_adjustment<S: Strings + ?Sized>(&self, field: Field, a: &Record, s: &S) -> f64 {
        let (kind, id, u_exact) = match field {
            Field::GivenName => (Kind::Given, a.given, self.u_exact_given),
            Field::Surname => (Kind::Surname, a.surname, self.u_exact_surname),
            _ => return 0.0,
        };
        let f = s.frequency(kind, id).max(1e-7);
        (u_exact / f).log2().clamp(-TF_CAP, TF_CAP)
    }

    /// Sum of field weights for `g` (no prior, no term frequencies).
    pub fn gamma_weight(&self, g: &Gamma) -> f64 {
        FIELDS.iter().zip(g).map(|(f, &l)| self.field_weight(g, *f, l)).sum()
    }

    /// The match weight (log2 odds, prior included) of a compared pair.
    pub fn weight<S: Strings + ?Sized>(&self, a: &Record, g: &Gamma, s: &S) -> f64 {
        let mut w = self.prior + self.gamma_weight(g);
        if self.term_frequency {
            if g[Field::GivenName as usize] == 1 {
                w += self.tf_adjustment(Field::GivenName, a, s);
            }
            if g[Field::Surname as usize] == 1 {
                w += self.tf_adjustment(Field::Surname, a, s);
            }
        }
        w
    }

    /// Compares and scores a pair: the levels and the match weight.
    pub fn score<S: Strings + ?Sized>(&self, a: &Record, b: &Record, s: &S) -> (Gamma, f64) {
        let g = compare(a, b, s);
        (g, self.weight(a, &g, s))
    }

    /// A field-by-field account of a pair's weight, for showing users why records were linked.
    pub fn explain<S: Strings + ?Sized>(&self, a: &Record, b: &Record, s: &S) -> Explanation {
        let g = compare(a, b, s);
        let fields = FIELDS
            .iter()
            .zip(g)
            .map(|(&field, level)| {
                let tf =
                    if self.term_frequency && level == 1 { self.tf_adjustment(field, a, s) } else { 0.0 };
                Contribution {
                    field,
                    level,
                    level_name: field.levels().get(usize::from(level)).copied().unwrap_or("?"),
                    weight: self.field_weight(&g, field, level),
                    tf_adjustment: tf,
                }
            })
            .collect();
        Explanation::new(self.prior, fields, is_household(&g))
    }
}

/// True when the identity fields of a pair contradict (clearly different given names or full
/// dates of birth): if such records share an address or phone, that says "same household", not
/// "same person", so location fields are weighed with household u-probabilities.
pub fn is_household(g: &Gamma) -> bool {
    crate::compare::contradicts(g)
}

#[cfg(test)]
mod tests;

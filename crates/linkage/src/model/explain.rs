//! Explanations: why a pair scored what it did, field by field. This is what a handler sees as
//! the reason for a suggested link, so it must add up exactly to the weight used for the decision.

use crate::compare::Field;
use serde::Serialize;

/// One field's part in a pair's match weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The field.
    pub field: Field,
    /// Agreement level (0 = missing on one side).
    pub level: u8,
    /// The level in words.
    pub level_name: &'static str,
    /// log2(m/u) for the level, in bits.
    pub weight: f64,
    /// Extra bits because the agreeing value is rare (positive) or common (negative).
    pub tf_adjustment: f64,
}

/// A pair's match weight broken down by field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Prior log2-odds of a match before looking at the fields.
    pub prior: f64,
    /// Each field's contribution.
    pub fields: Vec<Contribution>,
    /// Total match weight (prior plus contributions).
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// The pair looked like two people of one household, so a shared address or phone counted
    /// for less.
    pub household: bool,
}

impl Explanation {
    /// Builds an explanation and its totals.
    pub fn new(prior: f64, fields: Vec<Contribution>, household: bool) -> Self {
        let weight = prior + fields.iter().map(|c| c.weight + c.tf_adjustment).sum::<f64>();
        Self { prior, fields, weight, probability: super::probability(weight), household }
    }

    /// One line per informative field, strongest first, e.g. "dob: exact (+13.2)".
    pub fn reasons(&self) -> Vec<String> {
        let mut f: Vec<&Contribution> = self.fields.iter().filter(|c| c.level != 0).collect();
        f.sort_by(|a, b| (b.weight + b.tf_adjustment).abs().total_cmp(&(a.weight + a.tf_adjustment).abs()));
        f.iter()
            .map(|c| format!("{}: {} ({:+.1})", c.field.name(), c.level_name, c.weight + c.tf_adjustment))
            .collect()
    }
}

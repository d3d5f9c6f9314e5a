//! Quality measures against ground truth: pairwise (the links made) and by cluster (every pair
//! the resulting persons imply). Counting is done per cluster, never by listing pairs, so it is
//! cheap at ten million records.

use crate::cluster::Link;
use serde::Serialize;
use std::collections::HashMap;

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Predicted pairs that are true.
    pub true_positives: u64,
    /// Pairs predicted.
    pub predicted: u64,
    /// Pairs that are true.
    pub actual: u64,
    /// TP / predicted.
    pub precision: f64,
    /// TP / actual.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Scores {
    /// Builds scores from counts (0/0 counts as 1.0: nothing to find, nothing wrongly found).
    pub fn new(true_positives: u64, predicted: u64, actual: u64) -> Self {
        let div = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (div(true_positives, predicted), div(true_positives, actual));
        let f1 =
            if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Self { true_positives, predicted, actual, precision, recall, f1 }
    }
}

fn pairs_in(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Number of true matching pairs implied by the ground-truth person ids.
pub fn true_pairs(truth: &[u64]) -> u64 {
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    for &t in truth {
        *sizes.entry(t).or_default() += 1;
    }
    sizes.values().map(|&k| pairs_in(k)).sum()
}

/// Pairwise scores of `links` at or above `threshold` (a weight).
pub fn pairwise(links: &[Link], threshold: f64, truth: &[u64]) -> Scores {
    let made: Vec<&Link> = links.iter().filter(|l| f64::from(l.weight) >= threshold).collect();
    let tp = made.iter().filter(|l| truth.get(l.a as usize) == truth.get(l.b as usize)).count() as u64;
    Scores::new(tp, made.len() as u64, true_pairs(truth))
}

/// Cluster scores: all pairs within predicted clusters against all true pairs.
pub fn clusters(cluster_of: &[u32], truth: &[u64]) -> Scores {
    let mut sizes: HashMap<u32, u64> = HashMap::new();
    let mut both: HashMap<(u32, u64), u64> = HashMap::new();
    for (c, t) in cluster_of.iter().zip(truth) {
        *sizes.entry(*c).or_default() += 1;
        *both.entry((*c, *t)).or_default() += 1;
    }
    let predicted = sizes.values().map(|&k| pairs_in(k)).sum();
    let tp = both.values().map(|&k| pairs_in(k)).sum();
    Scores::new(tp, predicted, true_pairs(truth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cluster_pairs() {
        let truth = [1, 1, 1, 2, 2];
        let perfect = clusters(&[0, 0, 0, 3, 3], &truth);
        assert_eq!((perfect.precision, perfect.recall), (1.0, 1.0));
        let merged = clusters(&[0, 0, 0, 0, 0], &truth);
        assert_eq!((merged.true_positives, merged.predicted, merged.actual), (4, 10, 4));
        let links = [
            Link { a: 0, b: 1, weight: 3.0 },
            Link { a: 2, b: 3, weight: 3.0 },
            Link { a: 3, b: 4, weight: -1.0 },
        ];
        let p = pairwise(&links, 0.0, &truth);
        assert_eq!((p.true_positives, p.predicted, p.actual), (1, 2, 4));
    }
}

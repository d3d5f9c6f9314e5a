//! Block-wise candidate pairs without a global pair list. Every record's key under every rule is
//! kept in one row (eight keys are one cache line), the blocks of all rules are listed, and the
//! pairs of a block are visited where they lie. A pair is visited by the first rule that groups
//! it and skipped by every later one: rule `r` skips `(a, b)` when an earlier rule gave `a` and
//! `b` the same key (and that block was not oversized). So no pair is compared twice, and no
//! tens-of-millions-long vector of pairs has to be built, sorted and deduplicated.
//!
//! Visiting pairs block by block also keeps memory access local: a block's records are loaded
//! once and then compared with each other from cache, where a sorted global pair list jumps to a
//! random record for nearly every comparison.

use super::{BlockingStats, Rule, RuleStats};
use crate::record::Record;
use crate::vocab::Strings;
use rayon::prelude::*;

/// Key of a record that has none under a rule (a field is missing), or whose block was too large
/// to expand. Real keys that hash to it are moved to 1.
const NO_KEY: u64 = 0;

#[derive(Debug, Clone, Copy)]
struct Block {
    rule: u32,
    start: u32,
    len: u32,
}

/// The blocks of all rules over one set of records.
#[derive(Debug, Clone)]
pub struct Blocks {
    n_rules: usize,
    /// Record-major: `keys[i * n_rules + r]` is record `i`'s key under rule `r`.
    keys: Vec<u64>,
    /// Record ids, grouped by block, ascending within a block.
    members: Vec<u32>,
    blocks: Vec<Block>,
    rules: Vec<Rule>,
    stats: Vec<RuleStats>,
}

/// What visiting one block found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Visit {
    /// Index of the block's rule in the rule list.
    pub rule: usize,
    /// Pairs of the block that `keep` accepted.
    pub pairs: u64,
    /// Of those, pairs no earlier rule produced (passed to the callback).
    pub new_pairs: u64,
}

impl Blocks {
    /// Keys every record under every rule and lists the blocks. Blocks larger than `max_block`
    /// are not expanded; they are counted per rule (blocks and records) so a report can say what
    /// was dropped.
    pub fn build<S: Strings + ?Sized>(records: &[Record], s: &S, rules: &[Rule], max_block: usize) -> Self {
        let n_rules = rules.len().max(1);
        let mut keys = vec![NO_KEY; records.len() * n_rules];
        keys.par_chunks_mut(n_rules).zip(records.par_iter()).for_each(|(row, rec)| {
            for (slot, rule) in row.iter_mut().zip(rules) {
                *slot = match rule.key(rec, s) {
                    Some(NO_KEY) => 1,
                    Some(k) => k,
                    None => NO_KEY,
                };
            }
        });
        let mut members = Vec::new();
        let mut blocks = Vec::new();
        let mut stats = Vec::with_capacity(rules.len());
        for r in 0..rules.len() {
            let mut column: Vec<(u64, u32)> = keys
                .par_chunks(n_rules)
                .enumerate()
                .filter_map(|(i, row)| (row[r] != NO_KEY).then_some((row[r], i as u32)))
                .collect();
            column.par_sort_unstable();
            let mut st = RuleStats::default();
            let mut start = 0;
            for i in 1..=column.len() {
                if i < column.len() && column[i].0 == column[start].0 {
                    continue;
                }
                let block = &column[start..i];
                if block.len() > max_block {
                    st.oversized_blocks += 1;
                    st.oversized_records += block.len() as u64;
                    for &(_, id) in block {
                        keys[id as usize * n_rules + r] = NO_KEY;
                    }
                } else if block.len() >= 2 {
                    st.blocks += 1;
                    blocks.push(Block {
                        rule: r as u32,
                        start: members.len() as u32,
                        len: block.len() as u32,
                    });
                    members.extend(block.iter().map(|&(_, id)| id));
                }
                start = i;
            }
            stats.push(st);
        }
        Self { n_rules, keys, members, blocks, rules: rules.to_vec(), stats }
    }

    /// Number of blocks (of all rules).
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// True when no block has two records.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Pairs in all blocks before skipping repeats: an upper bound on the work, for progress.
    pub fn pairs_upper_bound(&self) -> u64 {
        self.blocks.iter().map(|b| u64::from(b.len) * u64::from(b.len.saturating_sub(1)) / 2).sum()
    }

    /// Calls `f(a, b)` (`a < b`) for each pair of block `i` that `keep` accepts and no earlier
    /// rule produced. Out-of-range `i` visits nothing.
    pub fn visit<K, F>(&self, i: usize, keep: &K, mut f: F) -> Visit
    where
        K: Fn(u32, u32) -> bool,
        F: FnMut(u32, u32),
    {
        let Some(block) = self.blocks.get(i) else { return Visit::default() };
        let rule = block.rule as usize;
        let ids = &self.members[block.start as usize..(block.start + block.len) as usize];
        let mut visit = Visit { rule, ..Visit::default() };
        for (x, &a) in ids.iter().enumerate() {
            let ka = &self.keys[a as usize * self.n_rules..][..rule];
            for &b in &ids[x + 1..] {
                if !keep(a, b) {
                    continue;
                }
                visit.pairs += 1;
                let kb = &self.keys[b as usize * self.n_rules..][..rule];
                if ka.iter().zip(kb).any(|(&p, &q)| p == q && p != NO_KEY) {
                    continue;
                }
                visit.new_pairs += 1;
                f(a, b);
            }
        }
        visit
    }

    /// Blocking statistics from per-rule visit totals (`pairs`, `new_pairs`), in rule order.
    pub fn stats(&self, totals: &[(u64, u64)]) -> BlockingStats {
        let rules = self
            .rules
            .iter()
            .zip(&self.stats)
            .enumerate()
            .map(|(r, (&rule, st))| {
                let (pairs, new_pairs) = totals.get(r).copied().unwrap_or((0, 0));
                (rule, RuleStats { pairs, new_pairs, ..st.clone() })
            })
            .collect();
        BlockingStats { rules, comparisons: totals.iter().map(|t| t.1).sum() }
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocking::{pack_pair, rule_pairs};
    use crate::normalise::Normaliser;
    use crate::record::RawRecord;
    use crate::vocab::Vocabs;
    use std::collections::BTreeSet;

    fn records(raws: &[RawRecord<'_>]) -> (Vec<Record>, Vocabs) {
        let mut v = Vocabs::default();
        let n = Normaliser::new(2026);
        (raws.iter().map(|r| n.normalise(r, &mut v).0).collect(), v)
    }

    #[test]
    fn each_pair_once_by_its_first_rule() {
        let raw =
            |g, s, d, p| RawRecord { given_name: g, surname: s, dob: d, phone: p, ..Default::default() };
        let (recs, v) = records(&[
            raw("John", "Smith", "1980-01-02", "07700900123"),
            raw("Jon", "Smith", "1980-01-02", "07700900123"),
            raw("John", "Smyth", "1980-01-02", ""),
            raw("Mary", "Jones", "1990-05-06", "07700900123"),
            raw("", "", "", ""),
        ]);
        let blocks = Blocks::build(&recs, &v, &Rule::ALL, 100);
        let mut seen = Vec::new();
        let mut totals = vec![(0, 0); Rule::ALL.len()];
        for i in 0..blocks.len() {
            let visit = blocks.visit(i, &|_, _| true, |a, b| seen.push(pack_pair(a, b)));
            totals[visit.rule].0 += visit.pairs;
            totals[visit.rule].1 += visit.new_pairs;
        }
        let unique: BTreeSet<u64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "a pair was visited twice");
        let mut expected = BTreeSet::new();
        for rule in Rule::ALL {
            expected.extend(rule_pairs(&recs, &v, rule, 100, &|_, _| true).0);
        }
        assert_eq!(unique, expected);
        let stats = blocks.stats(&totals);
        assert_eq!(stats.comparisons, expected.len() as u64);
        let raw_pairs: u64 = stats.rules.iter().map(|(_, s)| s.pairs).sum();
        assert!(raw_pairs > stats.comparisons, "the rules overlap here");
    }

    #[test]
    fn oversized_blocks_do_not_hide_pairs_of_later_rules() {
        let with_phone =
            RawRecord { given_name: "John", surname: "Smith", phone: "07700900123", ..Default::default() };
        let without = RawRecord { given_name: "John", surname: "Smith", ..Default::default() };
        let (recs, v) = records(&[with_phone, with_phone, without]);
        let blocks = Blocks::build(&recs, &v, &[Rule::NamePair, Rule::Phone], 2);
        let mut seen = Vec::new();
        for i in 0..blocks.len() {
            let visit = blocks.visit(i, &|_, _| true, |a, b| seen.push((a, b)));
            assert_eq!(visit.rule, 1, "only the phone block is small enough");
        }
        assert_eq!(seen, vec![(0, 1)]);
        let stats = blocks.stats(&[(0, 0), (1, 1)]);
        assert_eq!((stats.rules[0].1.oversized_blocks, stats.rules[0].1.oversized_records), (1, 3));
        assert_eq!(stats.comparisons, 1);
    }
}

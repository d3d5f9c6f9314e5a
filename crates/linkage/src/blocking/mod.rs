//! Blocking: which pairs are worth comparing. Each [`Rule`] gives a record a key (or none when a
//! field it needs is missing, so a missing field never forms a giant block); records sharing a key
//! are candidate pairs. Pairs from all rules are combined and deduplicated, blocks larger than a
//! limit are skipped and reported (a very common name must not explode the work), and the number of
//! comparisons is counted.

pub mod blocks;

use crate::compare::Field;
use crate::compare::strings::soundex;
use crate::hash::{combine, fnv64};
use crate::record::Record;
use crate::vocab::{Kind, NONE, Strings};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A blocking rule: records with equal keys are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Surname sound (Soundex) and full date of birth: survives surname typos and nicknames.
    SurnameSoundexDob,
    /// Sound of the formal given name and of the surname: survives date-of-birth errors, moves,
    /// nicknames and most typos.
    NameSounds,
    /// Full date of birth and given-name initial: survives surname typos and changes.
    DobInitial,
    /// Full postcode and given-name initial: survives name typos and missing dates.
    PostcodeInitial,
    /// Exact phone number.
    Phone,
    /// Exact email address.
    Email,
    /// Given name and surname as an unordered pair: catches swapped names.
    NamePair,
    /// House number and street: survives name errors and missing dates and postcodes.
    Address,
    /// [`Rule::NameSounds`] within a decade of birth (records without a year of birth form their
    /// own decade). Common names make name-sound blocks grow with the population (13.7M of 18.6M
    /// pairs at a million records); the decade splits them about tenfold at little cost in recall,
    /// since pairs whose birth years straddle decades are mostly caught by the location, contact
    /// and date rules. The default in place of `NameSounds`, which stays for older model files.
    NameSoundsDecade,
}

impl Rule {
    /// Every rule, the default set.
    pub const ALL: [Rule; 8] = [
        Rule::SurnameSoundexDob,
        Rule::NameSoundsDecade,
        Rule::DobInitial,
        Rule::PostcodeInitial,
        Rule::Phone,
        Rule::Email,
        Rule::NamePair,
        Rule::Address,
    ];

    /// The rule a real-time index uses in place of this one. A real-time match reads at most a
    /// capped number of candidates per key, so common-name blocks cost it nothing extra, while a
    /// query without a date of birth (common on a call) must still find "Jon Smith" born in 1980:
    /// the index therefore keys name sounds without the decade that batch blocking needs.
    pub fn for_realtime(self) -> Rule {
        match self {
            Rule::NameSoundsDecade => Rule::NameSounds,
            r => r,
        }
    }

    /// Fields whose agreement the rule forces (not estimable from its pairs during training).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Rule::SurnameSoundexDob => &[Field::Surname, Field::Dob],
            Rule::NameSounds | Rule::NameSoundsDecade => &[Field::GivenName, Field::Surname],
            Rule::DobInitial => &[Field::Dob, Field::GivenName],
            Rule::PostcodeInitial => &[Field::Postcode, Field::GivenName, Field::Address],
            Rule::Phone => &[Field::Phone],
            Rule::Email => &[Field::Email],
            Rule::NamePair => &[Field::GivenName, Field::Surname],
            Rule::Address => &[Field::Address],
        }
    }

    /// The record's key under this rule, or `None` when a needed field is missing.
    pub fn key<S: Strings + ?Sized>(self, r: &Record, s: &S) -> Option<u64> {
        let tag = self as u64 + 1;
        let full_dob = || {
            r.dob
                .is_full()
                .then(|| u64::from(r.dob.year) << 16 | u64::from(r.dob.month) << 8 | u64::from(r.dob.day))
        };
        let initial = || {
            (r.given != NONE)
                .then(|| u64::from(s.text(Kind::Given, r.given).as_bytes().first().copied().unwrap_or(0)))
        };
        let key = match self {
            Rule::SurnameSoundexDob => {
                let sx = (r.surname != NONE).then(|| soundex(s.text(Kind::Surname, r.surname).as_bytes()))?;
                combine(&[tag, u64::from(sx), full_dob()?])
            }
            Rule::NameSounds => {
                (r.given_formal != NONE && r.surname != NONE).then_some(())?;
                let g = soundex(s.text(Kind::Given, r.given_formal).as_bytes());
                let n = soundex(s.text(Kind::Surname, r.surname).as_bytes());
                combine(&[tag, u64::from(g), u64::from(n)])
            }
            Rule::NameSoundsDecade => {
                (r.given_formal != NONE && r.surname != NONE).then_some(())?;
                let g = soundex(s.text(Kind::Given, r.given_formal).as_bytes());
                let n = soundex(s.text(Kind::Surname, r.surname).as_bytes());
                combine(&[tag, u64::from(g), u64::from(n), u64::from(r.dob.year / 10)])
            }
            Rule::DobInitial => combine(&[tag, full_dob()?, initial()?]),
            Rule::PostcodeInitial => {
                (r.postcode.unit != 0).then_some(())?;
                combine(&[tag, u64::from(r.postcode.unit), initial()?])
            }
            Rule::Phone => (r.phone != 0).then(|| combine(&[tag, r.phone]))?,
            Rule::Email => combine(&[tag, fnv64(3, r.email.as_deref()?.as_bytes())]),
            Rule::NamePair => {
                (r.given != NONE && r.surname != NONE).then_some(())?;
                let g = fnv64(4, s.text(Kind::Given, r.given).as_bytes());
                let n = fnv64(4, s.text(Kind::Surname, r.surname).as_bytes());
                combine(&[tag, g.min(n), g.max(n)])
            }
            Rule::Address => {
                (r.street != NONE && r.house != 0).then_some(())?;
                combine(&[tag, fnv64(5, s.text(Kind::Street, r.street).as_bytes()), u64::from(r.house)])
            }
        };
        Some(key)
    }
}

/// Counts for one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleStats {
    /// Pairs the rule produced (before combining with other rules).
    pub pairs: u64,
    /// Pairs no earlier rule produced: the comparisons this rule adds. Where the rules overlap,
    /// this shows what each rule costs on top of the ones before it.
    pub new_pairs: u64,
    /// Blocks (distinct keys with two or more records).
    pub blocks: u64,
    /// Blocks skipped for being larger than the limit.
    pub oversized_blocks: u64,
    /// Records in the skipped blocks.
    pub oversized_records: u64,
}

/// What blocking did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlockingStats {
    /// Per rule, in the order given.
    pub rules: Vec<(Rule, RuleStats)>,
    /// Distinct candidate pairs after combining rules: the comparisons to make.
    pub comparisons: u64,
}

/// Packs a pair (`a < b`) into one `u64`.
pub fn pack_pair(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    u64::from(lo) << 32 | u64::from(hi)
}

/// Unpacks [`pack_pair`].
pub fn unpack_pair(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

/// The pairs of one rule. `keep` filters pairs (e.g. only across two data sets in link mode).
pub fn rule_pairs<S, F>(
    records: &[Record],
    s: &S,
    rule: Rule,
    max_block: usize,
    keep: &F,
) -> (Vec<u64>, RuleStats)
where
    S: Strings + ?Sized,
    F: Fn(u32, u32) -> bool + Sync,
{
    let mut keys: Vec<(u64, u32)> =
        records.par_iter().enumerate().filter_map(|(i, r)| rule.key(r, s).map(|k| (k, i as u32))).collect();
    keys.par_sort_unstable();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut stats = RuleStats::default();
    let mut start = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i].0 != keys[start].0 {
            let len = i - start;
            if len > max_block {
                stats.oversized_blocks += 1;
                stats.oversized_records += len as u64;
            } else if len >= 2 {
                blocks.push((start, i));
            }
            start = i;
        }
    }
    stats.blocks = blocks.len() as u64;
    let pairs: Vec<u64> = blocks
        .par_iter()
        .flat_map_iter(|&(lo, hi)| {
            let block = &keys[lo..hi];
            block.iter().enumerate().flat_map(move |(x, &(_, a))| {
                block[x + 1..].iter().filter(move |&&(_, b)| keep(a, b)).map(move |&(_, b)| pack_pair(a, b))
            })
        })
        .collect();
    stats.pairs = pairs.len() as u64;
    (pairs, stats)
}

/// Candidate pairs from all `rules`, deduplicated and sorted. Batch deduplication does not build
/// this list (it visits [`blocks::Blocks`] in place); training samples from it.
pub fn candidate_pairs<S, F>(
    records: &[Record],
    s: &S,
    rules: &[Rule],
    max_block: usize,
    keep: &F,
) -> (Vec<u64>, BlockingStats)
where
    S: Strings + ?Sized,
    F: Fn(u32, u32) -> bool + Sync,
{
    let blocks = blocks::Blocks::build(records, s, rules, max_block);
    let per_block: Vec<(Vec<u64>, blocks::Visit)> = (0..blocks.len())
        .into_par_iter()
        .with_min_len(256)
        .map(|i| {
            let mut pairs = Vec::new();
            let visit = blocks.visit(i, keep, |a, b| pairs.push(pack_pair(a, b)));
            (pairs, visit)
        })
        .collect();
    let mut totals = vec![(0u64, 0u64); rules.len()];
    let mut all = Vec::with_capacity(per_block.iter().map(|(p, _)| p.len()).sum());
    for (pairs, visit) in per_block {
        if let Some(t) = totals.get_mut(visit.rule) {
            t.0 += visit.pairs;
            t.1 += visit.new_pairs;
        }
        all.extend(pairs);
    }
    all.par_sort_unstable();
    (all, blocks.stats(&totals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Normaliser;
    use crate::record::RawRecord;
    use crate::vocab::Vocabs;

    #[test]
    fn combines_rules_and_dedupes() {
        let mut v = Vocabs::default();
        let n = Normaliser::new(2026);
        let raws = [
            RawRecord {
                given_name: "John",
                surname: "Smith",
                dob: "1980-01-02",
                phone: "07700900123",
                ..Default::default()
            },
            RawRecord {
                given_name: "Jon",
                surname: "Smith",
                dob: "1980-01-02",
                phone: "07700900123",
                ..Default::default()
            },
            RawRecord { given_name: "Mary", surname: "Jones", dob: "1990-05-06", ..Default::default() },
            RawRecord { given_name: "", surname: "", dob: "", ..Default::default() },
        ];
        let recs: Vec<Record> = raws.iter().map(|r| n.normalise(r, &mut v).0).collect();
        let (pairs, stats) = candidate_pairs(&recs, &v, &Rule::ALL, 100, &|_, _| true);
        assert_eq!(pairs, vec![pack_pair(0, 1)]);
        assert_eq!(stats.comparisons, 1);
        assert!(stats.rules.iter().map(|(_, s)| s.pairs).sum::<u64>() >= 3);
        let (none, _) = candidate_pairs(&recs, &v, &Rule::ALL, 100, &|_, _| false);
        assert!(none.is_empty());
    }

    #[test]
    fn oversized_blocks_are_skipped_and_counted() {
        let mut v = Vocabs::default();
        let n = Normaliser::new(2026);
        let raw = RawRecord { given_name: "John", surname: "Smith", ..Default::default() };
        let recs: Vec<Record> = (0..10).map(|_| n.normalise(&raw, &mut v).0).collect();
        let (pairs, stats) = rule_pairs(&recs, &v, Rule::NamePair, 5, &|_, _| true);
        assert!(pairs.is_empty());
        assert_eq!(stats.oversized_blocks, 1);
        assert_eq!(stats.oversized_records, 10);
    }

    #[test]
    fn pair_packing_round_trips() {
        assert_eq!(unpack_pair(pack_pair(9, 3)), (3, 9));
    }
}

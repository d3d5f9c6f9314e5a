//! Real-time mode: an in-memory index of known records, each belonging to a person. A query is
//! normalised against the index's vocabularies without changing them, candidates are gathered from
//! the blocking keys (capped per rule so a common name stays fast), scored, and returned best
//! person first with the explanation of the best record. Adding a record updates the index at once.
//!
//! Postings are singly linked lists in one vector (key -> newest entry -> older entries), which
//! costs 8 bytes per record per rule plus the key map: ten million records fit comfortably.

use crate::blocking::Rule;
use crate::hash::IdentityBuild;
use crate::model::{Explanation, Model, Scorer};
use crate::normalise::{FieldIssue, Normaliser};
use crate::record::{RawRecord, Record};
use crate::vocab::{Overlay, Vocabs};
use std::collections::HashMap;

/// Identifies a person (chosen by the caller, e.g. a database id).
pub type PersonId = u64;

const END: u32 = u32::MAX;
/// The owner of a retired record: it stays in the postings (removing from singly linked lists
/// would cost a walk per rule) but is never a candidate again.
const RETIRED: PersonId = PersonId::MAX;

/// A person who may be the one in the query.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The person.
    pub person: PersonId,
    /// Their best-matching record (index in the index).
    pub record: u32,
    /// Match weight of that record (log2 odds).
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// Why, field by field.
    pub explanation: Explanation,
}

/// The answer to a query.
#[derive(Debug, Clone, Default)]
pub struct MatchResult {
    /// Candidates above the review threshold, best first.
    pub candidates: Vec<Candidate>,
    /// Records compared.
    pub compared: usize,
    /// Problems with the query's fields.
    pub issues: Vec<FieldIssue>,
}

/// An in-memory index of persons' records.
#[derive(Debug)]
pub struct Index {
    model: Model,
    normaliser: Normaliser,
    vocabs: Vocabs,
    records: Vec<Record>,
    persons: Vec<PersonId>,
    heads: HashMap<u64, u32, IdentityBuild>,
    next: Vec<u32>,
    entry_record: Vec<u32>,
    scorer: Scorer,
    scorer_size: usize,
}

impl Index {
    /// An empty index using `model`; `max_year` is the current year (for date validation).
    pub fn new(model: Model, max_year: i32) -> Self {
        let scorer = model.scorer(1_000);
        Self {
            model,
            normaliser: Normaliser::new(max_year),
            vocabs: Vocabs::default(),
            records: Vec::new(),
            persons: Vec::new(),
            heads: HashMap::default(),
            next: Vec::new(),
            entry_record: Vec::new(),
            scorer,
            scorer_size: 1_000,
        }
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Reserves room for `n` more records (avoids regrowth when loading a known number).
    pub fn reserve(&mut self, n: usize) {
        let rules = self.model.blocking.rules.len();
        self.records.reserve(n);
        self.persons.reserve(n);
        self.next.reserve(n * rules);
        self.entry_record.reserve(n * rules);
        self.heads.reserve(n * rules);
    }

    /// Adds a record of `person`; returns its index and any field problems.
    pub fn insert(&mut self, raw: &RawRecord<'_>, person: PersonId) -> (u32, Vec<FieldIssue>) {
        let (rec, issues) = self.normaliser.normalise(raw, &mut self.vocabs);
        let id = self.records.len() as u32;
        for rule in self.model.blocking.rules.iter().map(|r| r.for_realtime()) {
            if let Some(key) = rule.key(&rec, &self.vocabs) {
                let entry = self.entry_record.len() as u32;
                self.entry_record.push(id);
                let prev = self.heads.insert(key, entry).unwrap_or(END);
                self.next.push(prev);
            }
        }
        self.records.push(rec);
        self.persons.push(person);
        // The prior depends on the population; refresh it when the index has grown by a tenth.
        if self.records.len() > self.scorer_size + self.scorer_size / 10 {
            self.scorer_size = self.records.len();
            self.scorer = self.model.scorer(self.scorer_size);
        }
        (id, issues)
    }

    /// The person a record belongs to.
    pub fn person_of(&self, record: u32) -> Option<PersonId> {
        self.persons.get(record as usize).copied().filter(|p| *p != RETIRED)
    }

    /// Finds the persons `raw` may be, best first, at most `limit`. Never changes the index.
    pub fn match_record(&self, raw: &RawRecord<'_>, limit: usize) -> MatchResult {
        let mut overlay = Overlay::new(&self.vocabs);
        let (q, issues) = self.normaliser.normalise(raw, &mut overlay);
        let cap = self.model.blocking.max_candidates_per_rule;
        let mut seen: Vec<u32> = Vec::new();
        for rule in self.model.blocking.rules.iter().map(|r| r.for_realtime()) {
            let Some(key) = rule.key(&q, &overlay) else { continue };
            let mut e = self.heads.get(&key).copied().unwrap_or(END);
            let mut taken = 0;
            while e != END && taken < cap {
                seen.push(self.entry_record[e as usize]);
                e = self.next[e as usize];
                taken += 1;
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut best: HashMap<PersonId, (u32, f64)> = HashMap::new();
        for &r in &seen {
            if self.persons[r as usize] == RETIRED {
                continue;
            }
            let (_, w) = self.scorer.score(&q, &self.records[r as usize], &overlay);
            if w < self.scorer.review_weight {
                continue;
            }
            let person = self.persons[r as usize];
            if person == RETIRED {
                continue;
            }
            let slot = best.entry(person).or_insert((r, f64::NEG_INFINITY));
            if w > slot.1 {
                *slot = (r, w);
            }
        }
        let mut ranked: Vec<(PersonId, u32, f64)> = best.into_iter().map(|(p, (r, w))| (p, r, w)).collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        let candidates = ranked
            .into_iter()
            .map(|(person, record, weight)| {
                let explanation = self.scorer.explain(&q, &self.records[record as usize], &overlay);
                Candidate { person, record, weight, probability: explanation.probability, explanation }
            })
            .collect();
        MatchResult { candidates, compared: seen.len(), issues }
    }

    /// Gives a record a new owner (a review decided or a split moved its contact), or retires it
    /// (`None`: its link was undone), so people's decisions reach the index without rebuilding it.
    /// Returns false when there is no such record.
    pub fn set_person(&mut self, record: u32, person: Option<PersonId>) -> bool {
        match self.persons.get_mut(record as usize) {
            Some(slot) => {
                *slot = person.unwrap_or(RETIRED);
                true
            }
            None => false,
        }
    }

    /// Approximate heap bytes used, for capacity planning.
    pub fn heap_bytes(&self) -> usize {
        self.records.iter().map(Record::bytes).sum::<usize>()
            + self.persons.capacity() * 8
            + self.next.capacity() * 4
            + self.entry_record.capacity() * 4
            + self.heads.capacity() * 13
            + self.vocabs.heap_bytes()
    }

    /// The thresholds in force (probabilities): link and review.
    pub fn thresholds(&self) -> (f64, f64) {
        (self.model.thresholds.link, self.model.thresholds.review)
    }

    /// The rules used to gather candidates.
    pub fn rules(&self) -> &[Rule] {
        &self.model.blocking.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn william_smith() -> RawRecord<'static> {
        RawRecord {
            given_name: "William",
            surname: "Smith",
            dob: "1980-01-02",
            postcode: "LS1 4AB",
            ..Default::default()
        }
    }

    #[test]
    fn finds_the_person_and_explains() {
        let mut idx = Index::new(Model::default(), 2026);
        let a = william_smith();
        let b = RawRecord {
            given_name: "Mary",
            surname: "Jones",
            dob: "1990-05-06",
            postcode: "M1 1AE",
            ..Default::default()
        };
        idx.insert(&a, 7);
        idx.insert(&b, 8);
        let q = RawRecord { given_name: "Bill", surname: "Smith", dob: "02/01/1980", ..Default::default() };
        let r = idx.match_record(&q, 5);
        assert_eq!(r.candidates.first().map(|c| c.person), Some(7));
        let c = &r.candidates[0];
        assert!(c.probability > 0.5, "{c:?}");
        let sum: f64 = c.explanation.prior
            + c.explanation.fields.iter().map(|f| f.weight + f.tf_adjustment).sum::<f64>();
        assert!((sum - c.weight).abs() < 1e-6);
        // Without a date of birth a misspelt name is still found (name sounds, any decade).
        let q = RawRecord { given_name: "Wiliam", surname: "Smyth", ..Default::default() };
        assert!(idx.match_record(&q, 5).candidates.iter().any(|c| c.person == 7));
        // A new spelling in the query does not change the index.
        let before = idx.vocabs.given.len();
        let _ = idx.match_record(&RawRecord { given_name: "Zebedee", ..Default::default() }, 5);
        assert_eq!(idx.vocabs.given.len(), before);
    }

    #[test]
    fn people_decisions_change_owners_without_a_rebuild() {
        let mut idx = Index::new(Model::default(), 2026);
        let a = william_smith();
        let (rec, _) = idx.insert(&a, 7);
        let best = |idx: &Index| idx.match_record(&a, 5).candidates.first().map(|c| c.person);
        assert_eq!(best(&idx), Some(7));
        assert!(idx.set_person(rec, Some(11)));
        assert_eq!(best(&idx), Some(11));
        assert!(idx.set_person(rec, None));
        assert_eq!(best(&idx), None, "a retired record is never a candidate");
        assert!(!idx.set_person(99, Some(1)));
    }
}

//! A round of matching: decide every waiting contact in memory, in order, then write the
//! decisions in two group commits (see the worker's module documentation for why).

use super::{PROVISIONAL, REVIEW_CANDIDATES, Worker, fingerprint, matcher_actor, parse_person_id};
use crate::matcher::{Shared, raw_parts};
use fc_domain::CallerDetails;
use fc_domain::person::{LinkHow, person_reference};
use fc_store::StoreError;
use fc_store::persons::{ContactLink, NewLink, NewPair, ReviewCandidate};
use std::collections::HashMap;

/// What a round decided for one contact.
enum Decision {
    /// Link to a person who exists.
    Link { person: u64, candidate: fc_linkage::Candidate },
    /// Link to the person an earlier contact of the round is creating (its group).
    Join { group: usize, candidate: fc_linkage::Candidate },
    /// A new person (founding the group of that number).
    New { group: usize },
    /// People decide, from these candidates; with a rival, the two persons are a possible pair.
    Review { result: fc_linkage::MatchResult, pair: bool },
}

/// A contact of a round and what was decided for it.
struct Planned {
    contact: String,
    caller: CallerDetails,
    decision: Decision,
    /// Its record in the index, added when decided (retired again if the write fails).
    record: Option<u32>,
}

impl Worker {
    /// Matches unlinked contacts, in order, in as few rounds as their dependencies allow.
    pub(super) async fn decide_many(
        &mut self,
        mut contacts: Vec<(String, CallerDetails)>,
    ) -> Result<(), StoreError> {
        while !contacts.is_empty() {
            // Scoring a round is long work without an await: on a thread of the blocking pool
            // it cannot hold up the requests queued behind it on the server's own threads.
            let shared = self.shared.clone();
            let planned = tokio::task::spawn_blocking(move || plan(&shared, contacts))
                .await
                .map_err(|e| StoreError::Unavailable(format!("a matching round stopped: {e}")))?;
            contacts = self.write(planned).await?;
        }
        Ok(())
    }

    /// Gives a record a new owner, or retires it.
    fn own(&self, record: Option<u32>, person: Option<u64>) {
        if let (Some(r), Ok(mut index)) = (record, self.shared.index.write()) {
            index.set_person(r, person);
        }
    }

    /// Writes a round in two group commits: first what rests only on persons who exist (links to
    /// them, new persons, reviews among them), then what rests on persons the first part created
    /// (links to them, reviews naming them). Every record the round added ends with a real owner
    /// or retired. Returns the contacts to decide again: those whose provisional person could not
    /// be made (someone decided its founder meanwhile).
    async fn write(&mut self, planned: Vec<Planned>) -> Result<Vec<(String, CallerDetails)>, StoreError> {
        let mut failure = None;
        let existing = |p: u64| (p < PROVISIONAL).then(|| person_reference(p as i64));
        let (mut first, mut then) = (Vec::new(), Vec::new());
        for (i, p) in planned.iter().enumerate() {
            let depends = match &p.decision {
                Decision::Join { .. } => true,
                Decision::Review { result, .. } => result.candidates.iter().any(|c| c.person >= PROVISIONAL),
                Decision::Link { .. } | Decision::New { .. } => false,
            };
            if depends { then.push(i) } else { first.push(i) }
        }

        let written = self.apply_all(&planned, &first, &existing).await;
        let mut real: HashMap<u64, i64> = HashMap::new();
        for (&i, outcome) in first.iter().zip(written) {
            let p = &planned[i];
            if let (Decision::New { group }, Ok(Some(person))) = (&p.decision, &outcome) {
                real.insert(PROVISIONAL + *group as u64, *person);
            }
            self.settle(p, outcome, &mut failure);
        }

        let resolve = |p: u64| match real.get(&p) {
            Some(id) => Some(person_reference(*id)),
            None => existing(p),
        };
        let mut again = Vec::new();
        let mut ready = Vec::new();
        for i in then {
            let p = &planned[i];
            let persons: Vec<u64> = match &p.decision {
                Decision::Join { candidate, .. } => vec![candidate.person],
                Decision::Review { result, .. } => result.candidates.iter().map(|c| c.person).collect(),
                _ => Vec::new(),
            };
            if persons.iter().all(|&person| resolve(person).is_some()) {
                // A joining record belongs to the real person from now on.
                if let Decision::Join { candidate, .. } = &p.decision {
                    self.own(p.record, real.get(&candidate.person).map(|id| *id as u64));
                }
                ready.push(i);
            } else {
                self.own(p.record, None);
                again.push((p.contact.clone(), p.caller.clone()));
            }
        }
        let written = self.apply_all(&planned, &ready, &resolve).await;
        for (&i, outcome) in ready.iter().zip(written) {
            self.settle(&planned[i], outcome, &mut failure);
        }
        failure.map_or(Ok(again), Err)
    }

    /// Writes the decisions of `which` contacts, naming persons through `person` (index id to
    /// reference): every link in one store write, the reviews beside it, so all share a group
    /// commit. Returns, per contact, the person id it was linked to, if it was.
    async fn apply_all(
        &self,
        planned: &[Planned],
        which: &[usize],
        person: &(dyn Fn(u64) -> Option<String> + Sync),
    ) -> Vec<Result<Option<i64>, StoreError>> {
        let actor = matcher_actor();
        let mut links = Vec::new();
        let mut linked_at = Vec::new();
        let mut reviews = Vec::new();
        for (n, &i) in which.iter().enumerate() {
            let p = &planned[i];
            let (to, link) = match &p.decision {
                Decision::Link { candidate, .. } | Decision::Join { candidate, .. } => (
                    person(candidate.person),
                    NewLink {
                        how: LinkHow::Auto,
                        weight: Some(candidate.weight),
                        explanation: serde_json::to_value(&candidate.explanation).ok(),
                        reason: None,
                    },
                ),
                Decision::New { .. } => {
                    (None, NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None })
                }
                Decision::Review { result, pair } => {
                    reviews.push((n, self.review(&p.contact, result, *pair, person)));
                    continue;
                }
            };
            links.push(ContactLink { contact: p.contact.clone(), person: to, link });
            linked_at.push(n);
        }
        let review_futures = reviews.into_iter().map(|(n, f)| async move { (n, f.await) });
        let (linked, reviewed) = futures::join!(
            async {
                if links.is_empty() {
                    return Ok(Vec::new());
                }
                self.store.link_contacts(&actor, links).await
            },
            futures::future::join_all(review_futures),
        );
        let mut out: Vec<Result<Option<i64>, StoreError>> = which.iter().map(|_| Ok(None)).collect();
        match linked {
            Ok(results) => {
                for (n, result) in linked_at.into_iter().zip(results) {
                    out[n] = result.map(|l| parse_person_id(&l.person).map(|id| id as i64));
                }
            }
            Err(e) => {
                let message = e.to_string();
                for n in linked_at {
                    out[n] = Err(StoreError::Unavailable(message.clone()));
                }
            }
        }
        for (n, result) in reviewed {
            out[n] = result.map(|()| None);
        }
        out
    }

    /// Records the outcome of one contact's write: its record gets its real owner (or is retired
    /// when the write failed), and a contact someone else decided meanwhile is left be.
    fn settle(
        &mut self,
        p: &Planned,
        outcome: Result<Option<i64>, StoreError>,
        failure: &mut Option<StoreError>,
    ) {
        match outcome {
            Ok(owner) => {
                if p.record.is_some() {
                    self.own(p.record, owner.map(|o| o as u64));
                    self.records_of.entry(p.contact.clone()).or_default().extend(p.record);
                }
                self.seen.insert(p.contact.clone(), fingerprint(&p.caller));
            }
            // Someone linked or queued it meanwhile: their decision stands.
            Err(StoreError::Conflict(m)) => {
                tracing::debug!(contact = %p.contact, %m, "already linked or in review");
                self.own(p.record, None);
                self.seen.insert(p.contact.clone(), fingerprint(&p.caller));
            }
            Err(e) => {
                tracing::warn!(contact = %p.contact, error = %e, "person matching failed");
                self.own(p.record, None);
                failure.get_or_insert(e);
            }
        }
    }

    /// Queues a contact for people to decide and, with a rival, asks whether the two persons are
    /// one (a failure there only loses that question, so it is logged, not returned).
    async fn review(
        &self,
        contact: &str,
        result: &fc_linkage::MatchResult,
        pair: bool,
        person: &(dyn Fn(u64) -> Option<String> + Sync),
    ) -> Result<(), StoreError> {
        let actor = matcher_actor();
        let named =
            |c: &fc_linkage::Candidate| person(c.person).unwrap_or_else(|| person_reference(c.person as i64));
        if pair && let (Some(a), Some(b)) = (result.candidates.first(), result.candidates.get(1)) {
            let pair = NewPair {
                a: named(a),
                b: named(b),
                weight: a.weight.min(b.weight),
                source: "realtime",
                evidence: serde_json::json!({
                    "contact": contact,
                    "a": { "weight": a.weight, "probability": a.probability, "explanation": a.explanation },
                    "b": { "weight": b.weight, "probability": b.probability, "explanation": b.explanation },
                }),
            };
            if let Err(e) = self.store.queue_pair_reviews(&actor, vec![pair]).await {
                tracing::warn!(%contact, error = %e, "queueing a possible same person failed");
            }
        }
        let candidates = result
            .candidates
            .iter()
            .map(|c| ReviewCandidate {
                person: named(c),
                weight: c.weight,
                probability: c.probability,
                explanation: serde_json::to_value(&c.explanation).unwrap_or_default(),
            })
            .collect();
        self.store.queue_link_review(&actor, contact, candidates).await.map(|_| ())
    }
}

/// Decides a round in memory, adding each decided contact's record to the index at once so
/// later contacts of the round see it.
fn plan(shared: &Shared, contacts: Vec<(String, CallerDetails)>) -> Vec<Planned> {
    let link_p = shared.model.thresholds.link;
    let mut planned = Vec::with_capacity(contacts.len());
    let mut groups = 0;
    for (contact, caller) in contacts {
        let result = match shared.index.read() {
            Ok(index) => index.match_record(&raw_parts(&caller).raw(), REVIEW_CANDIDATES),
            Err(_) => return planned,
        };
        let best = result.candidates.first();
        // Two different persons both above the link threshold: linking to either would be a
        // guess, and the two may well be one person recorded twice. People decide both questions.
        let rival = result.candidates.get(1).is_some_and(|c| c.probability >= link_p);
        let decision = match best {
            Some(b) if b.probability >= link_p && !rival => match provisional_group(b.person) {
                Some(group) => Decision::Join { group, candidate: b.clone() },
                None => Decision::Link { person: b.person, candidate: b.clone() },
            },
            Some(_) => Decision::Review { result, pair: rival },
            None => {
                groups += 1;
                Decision::New { group: groups - 1 }
            }
        };
        let owner = match &decision {
            Decision::Link { person, .. } => Some(*person),
            Decision::Join { group, .. } | Decision::New { group } => Some(PROVISIONAL + *group as u64),
            Decision::Review { .. } => None,
        };
        let record = owner.and_then(|o| index_record(shared, &caller, o));
        planned.push(Planned { contact, caller, decision, record });
    }
    planned
}

/// Adds a record to the index, returning its number.
fn index_record(shared: &Shared, caller: &CallerDetails, person: u64) -> Option<u32> {
    let mut index = shared.index.write().ok()?;
    Some(index.insert(&raw_parts(caller).raw(), person).0)
}

/// The round-local group a provisional index person id stands for, if it is one.
fn provisional_group(person: u64) -> Option<usize> {
    person.checked_sub(PROVISIONAL).map(|g| g as usize)
}

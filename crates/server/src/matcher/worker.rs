//! The matcher's worker: the only writer of the index. It loads the index, sweeps contacts never
//! looked at, then takes jobs from handlers and from the store's change events.
//!
//! Contacts are matched in rounds: every match job waiting (up to [`ROUND`]) is read in one query,
//! decided in order against the index, and its links, new persons and reviews are written together
//! so they share one group commit. One write per contact capped matching at a few hundred contacts
//! a second, behind any surge. A contact decided earlier in the round is already in the index, so
//! two contacts from one new caller in the same round still give one person: the first makes a
//! provisional person (an id from [`PROVISIONAL`] up), the second joins it once it is real. A
//! contact whose decision would rest on a provisional person in any other way (a review, a rival)
//! waits for the next round, when that person is real.

use super::{Job, Shared, raw_parts};
use fc_domain::person::LinkHow;
use fc_domain::{Actor, CallerDetails, Role};
use fc_linkage::Index;
use fc_store::persons::{LinkState, NewLink, NewPair, ReviewCandidate};
use fc_store::{Store, StoreError, StoreEvent};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

/// Whom links made by the matcher are attributed to.
pub(crate) fn matcher_actor() -> Actor {
    Actor { username: "linkage.matcher".into(), role: Role::Administrator }
}

/// Candidates kept on a review.
const REVIEW_CANDIDATES: usize = 5;
/// Contacts swept per pass.
const SWEEP_BATCH: u32 = 5_000;
/// Most match jobs taken into one round.
const ROUND: usize = 512;
/// Index person ids from here up stand for persons a round is creating; real ids are far below.
pub(super) const PROVISIONAL: u64 = 1 << 62;

struct Worker {
    shared: Arc<Shared>,
    store: Store,
    /// Caller-details fingerprint last handled per contact, so repeated events cost one read.
    seen: HashMap<String, u64>,
    /// The index records holding each contact's details (one per version of its details).
    records_of: HashMap<String, Vec<u32>>,
    /// The contact version last read per contact, so a change event for a version already looked
    /// at is skipped without a read.
    versions: HashMap<String, i64>,
}

pub(super) fn spawn(
    shared: Arc<Shared>,
    store: Store,
    tx: mpsc::UnboundedSender<Job>,
    mut rx: mpsc::UnboundedReceiver<Job>,
) {
    let mut events = store.subscribe();
    // Follow committed changes from every path (UI, API, demo traffic, imports).
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(StoreEvent::Contact { reference, version, .. }) => {
                    if tx.send(Job::Match(reference, Some(version))).is_err() {
                        break;
                    }
                }
                Ok(StoreEvent::PersonLink { contact, person }) => {
                    if tx.send(Job::Relink { contact, person }).is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Missed some: a sweep picks up whatever was not matched.
                    if tx.send(Job::Reload).is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
                // Other kinds of record (incidents...) are added by other areas; none concern persons.
                #[allow(unreachable_patterns)]
                Ok(_) => {}
            }
        }
    });
    tokio::spawn(async move {
        let mut w = Worker {
            shared,
            store,
            seen: HashMap::new(),
            records_of: HashMap::new(),
            versions: HashMap::new(),
        };
        w.reload().await;
        let mut jobs = Vec::with_capacity(ROUND);
        while rx.recv_many(&mut jobs, ROUND).await > 0 {
            let mut matches = Vec::new();
            for job in jobs.drain(..) {
                match job {
                    Job::Match(r, version) => {
                        if version.is_some_and(|v| w.versions.get(&r).is_some_and(|seen| *seen >= v)) {
                            continue;
                        }
                        matches.push(r);
                    }
                    // Everything else keeps its place after the matches queued before it.
                    other => {
                        w.match_many(std::mem::take(&mut matches)).await;
                        w.run(other).await;
                    }
                }
            }
            w.match_many(matches).await;
        }
    });
}

fn fingerprint(c: &CallerDetails) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(c).unwrap_or_default().hash(&mut h);
    h.finish()
}

fn parse_person_id(reference: &str) -> Option<u64> {
    reference.strip_prefix("P-")?.parse().ok()
}

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
    /// Runs a job other than a match.
    async fn run(&mut self, job: Job) {
        match job {
            Job::Match(r, _) => self.match_many(vec![r]).await,
            Job::Relink { contact, person } => {
                if let Err(e) = self.relink(&contact, person.as_deref()).await {
                    tracing::warn!(%contact, error = %e, "following a link change failed");
                }
            }
            Job::Reload => self.reload().await,
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }

    /// Rebuilds the index from the store, then matches contacts never looked at.
    async fn reload(&mut self) {
        let records = match self.store.linked_records().await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "loading linked contacts for the person matcher failed");
                return;
            }
        };
        let mut index = Index::new(self.shared.model.clone(), super::this_year());
        index.reserve(records.len());
        self.seen.clear();
        self.records_of.clear();
        for r in &records {
            let (id, _) = index.insert(&raw_parts(&r.caller).raw(), r.person_id as u64);
            self.records_of.entry(r.contact.clone()).or_default().push(id);
            self.seen.insert(r.contact.clone(), fingerprint(&r.caller));
        }
        if let Ok(mut guard) = self.shared.index.write() {
            *guard = index;
        }
        tracing::info!(records = records.len(), "person matcher index loaded");
        loop {
            let pending = match self.store.contacts_awaiting_link(SWEEP_BATCH).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "sweeping unlinked contacts failed");
                    return;
                }
            };
            let n = pending.len();
            if let Err(e) = self.decide_many(pending).await {
                tracing::warn!(error = %e, "person matching failed");
                return;
            }
            if n < SWEEP_BATCH as usize {
                break;
            }
        }
    }

    /// Looks at contacts created or changed: reads them together, then decides those never linked.
    async fn match_many(&mut self, mut contacts: Vec<String>) {
        if contacts.is_empty() {
            return;
        }
        let mut unique = std::collections::HashSet::new();
        contacts.retain(|c| unique.insert(c.clone()));
        let states = match self.store.matching_states(&contacts).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(contacts = contacts.len(), error = %e, "reading contacts for person matching failed");
                return;
            }
        };
        let mut by_contact: HashMap<String, fc_store::persons::MatchingState> =
            states.into_iter().map(|s| (s.contact.clone(), s)).collect();
        let mut undecided = Vec::new();
        // In the order the events came, so the earlier of two contacts founds a new person.
        for reference in contacts {
            let Some(m) = by_contact.remove(&reference) else { continue };
            self.versions.insert(m.contact.clone(), m.version);
            if !m.caller.has_personal_data() {
                continue;
            }
            let fp = fingerprint(&m.caller);
            if self.seen.get(&m.contact) == Some(&fp) {
                continue;
            }
            match m.state {
                LinkState::Linked(person) => {
                    // Changed details on a linked contact: the person now also has these details.
                    // Moving the contact to someone else is a person's decision (undo, then review).
                    self.insert(&m.contact, &m.caller, person as u64);
                    self.seen.insert(m.contact, fp);
                }
                LinkState::InReview | LinkState::Undone => {
                    self.seen.insert(m.contact, fp);
                }
                LinkState::Unlinked => undecided.push((m.contact, m.caller)),
            }
        }
        if let Err(e) = self.decide_many(undecided).await {
            tracing::warn!(error = %e, "person matching failed");
        }
    }

    fn insert(&mut self, contact: &str, caller: &CallerDetails, person: u64) {
        if let Ok(mut index) = self.shared.index.write() {
            let (id, _) = index.insert(&raw_parts(caller).raw(), person);
            self.records_of.entry(contact.to_string()).or_default().push(id);
        }
    }

    /// Follows a committed link change: the contact's records get their new owner (or are
    /// retired when it has none); a contact linked for the first time by a person's decision is
    /// added. No rebuild, so a merge or an undo costs microseconds, not a reload of every record.
    async fn relink(&mut self, contact: &str, person: Option<&str>) -> Result<(), StoreError> {
        let owner = person.and_then(parse_person_id);
        if let Some(records) = self.records_of.get(contact) {
            if let Ok(mut index) = self.shared.index.write() {
                for &r in records {
                    index.set_person(r, owner);
                }
            }
            return Ok(());
        }
        let Some(owner) = owner else { return Ok(()) };
        let c = self.store.get_contact(contact).await?;
        if c.caller.has_personal_data() {
            self.insert(contact, &c.caller, owner);
            self.seen.insert(contact.to_string(), fingerprint(&c.caller));
        }
        Ok(())
    }

    /// Asks whether two persons one contact matched strongly are one; a failure only loses the
    /// question (the contact's own review still goes ahead), so it is logged, not returned.
    async fn queue_pair(&self, contact: &str, a: &fc_linkage::Candidate, b: &fc_linkage::Candidate) {
        let pair = NewPair {
            a: fc_domain::person::person_reference(a.person as i64),
            b: fc_domain::person::person_reference(b.person as i64),
            weight: a.weight.min(b.weight),
            source: "realtime",
            evidence: serde_json::json!({
                "contact": contact,
                "a": { "weight": a.weight, "probability": a.probability, "explanation": a.explanation },
                "b": { "weight": b.weight, "probability": b.probability, "explanation": b.explanation },
            }),
        };
        if let Err(e) = self.store.queue_pair_reviews(&matcher_actor(), vec![pair]).await {
            tracing::warn!(%contact, error = %e, "queueing a possible same person failed");
        }
    }

    /// Matches unlinked contacts, in order, in as few rounds as their dependencies allow.
    async fn decide_many(&mut self, mut contacts: Vec<(String, CallerDetails)>) -> Result<(), StoreError> {
        while !contacts.is_empty() {
            let (planned, waiting) = self.plan(contacts);
            self.write(planned).await?;
            contacts = waiting;
        }
        Ok(())
    }

    /// Decides a round in memory, adding each decided contact's record to the index at once so
    /// later contacts of the round see it. Returns the decisions and the contacts that wait for
    /// the next round. The first contact never waits (no provisional person exists before it), so
    /// every round makes progress.
    fn plan(
        &mut self,
        contacts: Vec<(String, CallerDetails)>,
    ) -> (Vec<Planned>, Vec<(String, CallerDetails)>) {
        let link_p = self.shared.model.thresholds.link;
        let mut planned = Vec::with_capacity(contacts.len());
        let mut waiting = Vec::new();
        let mut groups = 0;
        for (contact, caller) in contacts {
            let result = match self.shared.index.read() {
                Ok(index) => index.match_record(&raw_parts(&caller).raw(), REVIEW_CANDIDATES),
                Err(_) => return (planned, Vec::new()),
            };
            let best = result.candidates.first();
            // Two different persons both above the link threshold: linking to either would be a
            // guess, and the two may well be one person recorded twice. People decide both questions.
            let rival = result.candidates.get(1).is_some_and(|c| c.probability >= link_p);
            let provisional = result.candidates.iter().any(|c| c.person >= PROVISIONAL);
            let decision = match best {
                Some(b) if b.probability >= link_p && !rival => {
                    if b.person >= PROVISIONAL {
                        Decision::Join { group: (b.person - PROVISIONAL) as usize, candidate: b.clone() }
                    } else {
                        Decision::Link { person: b.person, candidate: b.clone() }
                    }
                }
                Some(_) if provisional => {
                    waiting.push((contact, caller));
                    continue;
                }
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
            let record = owner.and_then(|o| self.index_record(&caller, o));
            planned.push(Planned { contact, caller, decision, record });
        }
        (planned, waiting)
    }

    /// Adds a record to the index, returning its number.
    fn index_record(&self, caller: &CallerDetails, person: u64) -> Option<u32> {
        let mut index = self.shared.index.write().ok()?;
        Some(index.insert(&raw_parts(caller).raw(), person).0)
    }

    /// Gives a record a new owner, or retires it.
    fn own(&self, record: Option<u32>, person: Option<u64>) {
        if let (Some(r), Ok(mut index)) = (record, self.shared.index.write()) {
            index.set_person(r, person);
        }
    }

    /// Writes a round: first every link to an existing person, new person and review together
    /// (one group commit), then the links to persons the first part created. Every record the
    /// round added ends with a real owner or retired.
    async fn write(&mut self, planned: Vec<Planned>) -> Result<(), StoreError> {
        let actor = matcher_actor();
        let store = self.store.clone();
        let link_to = |contact: String, person: String, c: &fc_linkage::Candidate| {
            let (store, actor) = (store.clone(), actor.clone());
            let link = NewLink {
                how: LinkHow::Auto,
                weight: Some(c.weight),
                explanation: serde_json::to_value(&c.explanation).ok(),
                reason: None,
            };
            async move { store.link_contact(&actor, &contact, Some(&person), link).await.map(|_| ()) }
        };
        let mut first = Vec::new();
        let mut founders: Vec<(usize, usize)> = Vec::new();
        let mut reviews = Vec::new();
        for (i, p) in planned.iter().enumerate() {
            match &p.decision {
                Decision::Link { person, candidate } => first.push((
                    i,
                    link_to(
                        p.contact.clone(),
                        fc_domain::person::person_reference(*person as i64),
                        candidate,
                    ),
                )),
                Decision::New { group } => founders.push((i, *group)),
                Decision::Review { result, pair } => reviews.push((i, result, *pair)),
                Decision::Join { .. } => {}
            }
        }
        let new_persons = founders.iter().map(|&(i, _)| {
            let (store, actor, contact) = (store.clone(), actor.clone(), planned[i].contact.clone());
            async move {
                let link = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
                store.link_contact(&actor, &contact, None, link).await.map(|l| l.person)
            }
        });
        let review_writes =
            reviews.iter().map(|&(i, result, pair)| self.review(&planned[i].contact, result, pair));
        let (linked, created, _) = futures::join!(
            futures::future::join_all(first.into_iter().map(|(i, f)| async move { (i, f.await) })),
            futures::future::join_all(new_persons),
            futures::future::join_all(review_writes),
        );
        let mut failure = None;
        for (i, outcome) in linked {
            self.settle(&planned[i], outcome.map(|()| planned_owner(&planned[i])), &mut failure);
        }
        // Each group's real person, once its founder's write succeeded.
        let mut real: HashMap<usize, String> = HashMap::new();
        for (&(i, group), outcome) in founders.iter().zip(created) {
            let owner = outcome.as_ref().ok().and_then(|p| parse_person_id(p));
            if let Ok(person) = &outcome {
                real.insert(group, person.clone());
            }
            self.settle(&planned[i], outcome.map(|_| owner), &mut failure);
        }
        for p in &planned {
            if matches!(p.decision, Decision::Review { .. }) {
                self.seen.insert(p.contact.clone(), fingerprint(&p.caller));
            }
        }
        let joins: Vec<(usize, String)> = planned
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.decision {
                Decision::Join { group, .. } => match real.get(group) {
                    Some(person) => {
                        self.own(p.record, parse_person_id(person));
                        Some((i, person.clone()))
                    }
                    // Its person was not made: it is matched afresh on the next change or sweep.
                    None => {
                        self.own(p.record, None);
                        None
                    }
                },
                _ => None,
            })
            .collect();
        let joined = futures::future::join_all(joins.into_iter().map(|(i, person)| {
            let Decision::Join { candidate, .. } = &planned[i].decision else { unreachable!() };
            let f = link_to(planned[i].contact.clone(), person.clone(), candidate);
            async move { (i, person, f.await) }
        }))
        .await;
        for (i, person, outcome) in joined {
            self.settle(&planned[i], outcome.map(|()| parse_person_id(&person)), &mut failure);
        }
        failure.map_or(Ok(()), Err)
    }

    /// Records the outcome of one contact's link write: its record gets its real owner (or is
    /// retired when the write failed), and a contact someone else decided meanwhile is left be.
    fn settle(
        &mut self,
        p: &Planned,
        outcome: Result<Option<u64>, StoreError>,
        failure: &mut Option<StoreError>,
    ) {
        match outcome {
            Ok(owner) => {
                self.own(p.record, owner);
                if let Some(r) = p.record {
                    self.records_of.entry(p.contact.clone()).or_default().push(r);
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

    /// Queues a contact for people to decide (and, with a rival, the two persons as a possible
    /// pair: a failure there only loses that question, so it is logged, not returned).
    async fn review(&self, contact: &str, result: &fc_linkage::MatchResult, pair: bool) {
        let actor = matcher_actor();
        if pair && let (Some(a), Some(b)) = (result.candidates.first(), result.candidates.get(1)) {
            self.queue_pair(contact, a, b).await;
        }
        let candidates = result
            .candidates
            .iter()
            .map(|c| ReviewCandidate {
                person: fc_domain::person::person_reference(c.person as i64),
                weight: c.weight,
                probability: c.probability,
                explanation: serde_json::to_value(&c.explanation).unwrap_or_default(),
            })
            .collect();
        match self.store.queue_link_review(&actor, contact, candidates).await {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => tracing::warn!(%contact, error = %e, "queueing a link review failed"),
        }
    }
}

/// The real owner a planned link to an existing person gives its record.
fn planned_owner(p: &Planned) -> Option<u64> {
    match &p.decision {
        Decision::Link { person, .. } => Some(*person),
        _ => None,
    }
}

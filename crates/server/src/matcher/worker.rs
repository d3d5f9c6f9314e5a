//! The matcher's worker: the only writer of the index. It loads the index, sweeps contacts never
//! looked at, then takes jobs from handlers and from the store's change events.
//!
//! Contacts are matched in rounds: every match job waiting (up to [`ROUND`]) is read in one query,
//! decided in order against the index, and its links, new persons and reviews are written together
//! so they share one group commit. One write per contact capped matching at a few hundred contacts
//! a second, behind any surge. A contact decided earlier in the round is already in the index, so
//! two contacts from one new caller in the same round still give one person: the first makes a
//! provisional person (an id from [`PROVISIONAL`] up), the second joins it once it is real. What
//! rests on a provisional person (a link to it, a review naming it) is written in a second group
//! commit, once the first has made that person real.

use super::{Job, Shared, raw_parts};
use fc_domain::person::{LinkHow, person_reference};
use fc_domain::{Actor, CallerDetails, Role};
use fc_linkage::Index;
use fc_store::persons::{ContactLink, LinkState, NewLink, NewPair, ReviewCandidate};
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

    /// Matches unlinked contacts, in order, in as few rounds as their dependencies allow.
    async fn decide_many(&mut self, mut contacts: Vec<(String, CallerDetails)>) -> Result<(), StoreError> {
        while !contacts.is_empty() {
            let planned = self.plan(contacts);
            contacts = self.write(planned).await?;
        }
        Ok(())
    }

    /// Decides a round in memory, adding each decided contact's record to the index at once so
    /// later contacts of the round see it.
    fn plan(&mut self, contacts: Vec<(String, CallerDetails)>) -> Vec<Planned> {
        let link_p = self.shared.model.thresholds.link;
        let mut planned = Vec::with_capacity(contacts.len());
        let mut groups = 0;
        for (contact, caller) in contacts {
            let result = match self.shared.index.read() {
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
            let record = owner.and_then(|o| self.index_record(&caller, o));
            planned.push(Planned { contact, caller, decision, record });
        }
        planned
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

/// The round-local group a provisional index person id stands for, if it is one.
fn provisional_group(person: u64) -> Option<usize> {
    person.checked_sub(PROVISIONAL).map(|g| g as usize)
}

//! The matcher's worker: the only writer of the index. It loads the index, sweeps contacts never
//! looked at, then takes jobs from handlers and from the store's change events, one at a time.

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
        while let Some(job) = rx.recv().await {
            match job {
                Job::Match(r, version) => {
                    if version.is_some_and(|v| w.versions.get(&r).is_some_and(|seen| *seen >= v)) {
                        continue;
                    }
                    if let Err(e) = w.handle(&r).await {
                        tracing::warn!(contact = %r, error = %e, "person matching failed");
                    }
                }
                Job::Relink { contact, person } => {
                    if let Err(e) = w.relink(&contact, person.as_deref()).await {
                        tracing::warn!(%contact, error = %e, "following a link change failed");
                    }
                }
                Job::Reload => w.reload().await,
                Job::Flush(done) => {
                    let _ = done.send(());
                }
            }
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

impl Worker {
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
            for (reference, caller) in pending {
                if let Err(e) = self.decide(&reference, &caller).await {
                    tracing::warn!(contact = %reference, error = %e, "person matching failed");
                    return;
                }
            }
            if n < SWEEP_BATCH as usize {
                break;
            }
        }
    }

    async fn handle(&mut self, reference: &str) -> Result<(), StoreError> {
        let contact = self.store.get_contact(reference).await?;
        self.versions.insert(reference.to_string(), contact.version);
        if !contact.caller.has_personal_data() {
            return Ok(());
        }
        let fp = fingerprint(&contact.caller);
        if self.seen.get(reference) == Some(&fp) {
            return Ok(());
        }
        match self.store.link_state(reference).await? {
            LinkState::Linked(person) => {
                // Changed details on a linked contact: the person now also has these details.
                // Moving the contact to someone else is a person's decision (undo, then review).
                self.insert(reference, &contact.caller, person as u64);
                self.seen.insert(reference.to_string(), fp);
                Ok(())
            }
            LinkState::InReview | LinkState::Undone => {
                self.seen.insert(reference.to_string(), fp);
                Ok(())
            }
            LinkState::Unlinked => self.decide(reference, &contact.caller).await,
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

    /// Matches an unlinked contact: link, review, or new person.
    async fn decide(&mut self, reference: &str, caller: &CallerDetails) -> Result<(), StoreError> {
        let result = match self.shared.index.read() {
            Ok(index) => index.match_record(&raw_parts(caller).raw(), REVIEW_CANDIDATES),
            Err(_) => return Ok(()),
        };
        let link_p = self.shared.model.thresholds.link;
        let actor = matcher_actor();
        let best = result.candidates.first();
        // Two different persons both above the link threshold: linking to either would be a
        // guess, and the two may well be one person recorded twice. People decide both questions.
        let rival = result.candidates.get(1).filter(|c| c.probability >= link_p);
        if let (Some(b), Some(r)) = (best, rival) {
            self.queue_pair(reference, b, r).await;
        }
        let outcome = match best {
            Some(b) if b.probability >= link_p && rival.is_none() => {
                let person = fc_domain::person::person_reference(b.person as i64);
                let link = NewLink {
                    how: LinkHow::Auto,
                    weight: Some(b.weight),
                    explanation: serde_json::to_value(&b.explanation).ok(),
                    reason: None,
                };
                self.store.link_contact(&actor, reference, Some(&person), link).await.map(|l| Some(l.person))
            }
            Some(_) => {
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
                self.store.queue_link_review(&actor, reference, candidates).await.map(|_| None)
            }
            None => {
                let link = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
                self.store.link_contact(&actor, reference, None, link).await.map(|l| Some(l.person))
            }
        };
        self.seen.insert(reference.to_string(), fingerprint(caller));
        match outcome {
            Ok(Some(person)) => {
                if let Some(id) = parse_person_id(&person)
                    && !self.records_of.contains_key(reference)
                {
                    self.insert(reference, caller, id);
                }
                Ok(())
            }
            Ok(None) => Ok(()),
            // Someone linked or queued it meanwhile: their decision stands.
            Err(StoreError::Conflict(m)) => {
                tracing::debug!(contact = %reference, %m, "already linked or in review");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

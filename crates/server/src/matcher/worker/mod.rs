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

mod round;

use super::{Job, Shared, raw_parts};

use fc_domain::{Actor, CallerDetails, Role};
use fc_linkage::Index;
use fc_store::persons::LinkState;
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
/// Most match jobs taken into one round. Each round is a closed loop (one read, the decisions,
/// two group commits), so its size sets matching's share of the single writer during a surge:
/// rounds of 512 kept matching level with a burst but held the API at about 7,000
/// acknowledgements a second (p99 about 40 ms at 128 clients); rounds of 64 give
/// acknowledgements the writer first, 13,000–14,000 a second with p99 under 20 ms, and matching
/// finishes within a second of a 6,000-contact burst (docs/benchmarks.md). A 999 call logged at
/// once matters more than its person link a few seconds sooner. The start-up sweep is not capped.
const ROUND: usize = 64;
/// Index person ids from here up stand for persons a round is creating; real ids are far below.
pub(super) const PROVISIONAL: u64 = 1 << 62;
/// Contacts the worker remembers having looked at (`seen`, `versions`) before it forgets them
/// all: the memories only save reads, and a server that runs for a year sees millions of contacts.
/// After forgetting, a later event for an old contact costs one read, and a linked one's record is
/// indexed again (the same person, so matching is unchanged; a few duplicate records at most).
const REMEMBERED: usize = 200_000;

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
                    // A link change for a contact already in the index is an index update: applied
                    // at once, it leaves the round whole. A burst's own links come back this way, and
                    // each used to cut the next round into pieces, with a store write per piece.
                    Job::Relink { contact, person } if w.relink_known(&contact, person.as_deref()) => {}
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

impl Worker {
    /// Gives a contact's index records their new owner, when the index holds the contact; false
    /// when it does not (the contact must be read first).
    fn relink_known(&mut self, contact: &str, person: Option<&str>) -> bool {
        let Some(records) = self.records_of.get(contact) else { return false };
        let owner = person.and_then(parse_person_id);
        if let Ok(mut index) = self.shared.index.write() {
            for &r in records {
                index.set_person(r, owner);
            }
        }
        true
    }

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

    /// Keeps the per-contact memories within [`REMEMBERED`] entries.
    fn forget_if_full(&mut self) {
        if self.seen.len() > REMEMBERED {
            self.seen.clear();
        }
        if self.versions.len() > REMEMBERED {
            self.versions.clear();
        }
    }

    /// Looks at contacts created or changed: reads them together, then decides those never linked.
    async fn match_many(&mut self, mut contacts: Vec<String>) {
        if contacts.is_empty() {
            return;
        }
        let mut unique = std::collections::HashSet::new();
        contacts.retain(|c| unique.insert(c.clone()));
        self.forget_if_full();
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
        if self.relink_known(contact, person) {
            return Ok(());
        }
        let Some(owner) = person.and_then(parse_person_id) else { return Ok(()) };
        let c = self.store.get_contact(contact).await?;
        if c.caller.has_personal_data() {
            self.insert(contact, &c.caller, owner);
            self.seen.insert(contact.to_string(), fingerprint(&c.caller));
        }
        Ok(())
    }
}

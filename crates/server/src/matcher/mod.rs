//! The person matcher: keeps an in-memory `fc_linkage` real-time index of every linked contact's
//! caller details and decides, for each contact with personal details, whether it is a known
//! person (link automatically), maybe one (queue for review) or nobody known (new person).
//!
//! Why a background worker and not inside the create request: the create is acknowledged as soon
//! as the contact is durable; linking is a second write (a second group commit) and must never
//! hold up a 999 call's acknowledgement or fail it. Handlers enqueue the reference (a channel
//! send, microseconds); a single worker task owns all index writes so matches are serialised (two
//! contacts from one new caller arriving together give one person, not two). Nothing is lost on a
//! crash: on start the worker sweeps every contact with details that was never linked nor
//! reviewed, and it also follows the store's committed-change events, so contacts written by other
//! paths (the demo's live traffic, another server) are matched too.

mod raw;
mod worker;

pub use raw::{RawParts, raw_parts};

use fc_linkage::{Index, MatchResult, Model};
use fc_store::Store;
use std::sync::{Arc, OnceLock, RwLock};
use tokio::sync::{mpsc, oneshot};

/// A unit of work for the matcher's worker.
#[derive(Debug)]
pub(crate) enum Job {
    /// Look at this contact (created or changed); the version when a change event names it, so a
    /// change already looked at (the handler's own request enqueues it too) costs nothing.
    Match(String, Option<i64>),
    /// A contact's link changed (people decided): give its records their new owner.
    Relink {
        /// The contact.
        contact: String,
        /// Its person now, if any.
        person: Option<String>,
    },
    /// Rebuild the index from the store (when change events were missed).
    Reload,
    /// Answer once every job queued before this one is done (tests, imports).
    Flush(oneshot::Sender<()>),
}

/// Shared between handlers (read: candidates for a screen) and the worker (write).
pub(crate) struct Shared {
    pub index: RwLock<Index>,
    pub model: Model,
}

/// A handle on the matcher; cheap to clone. Starts its worker on first use.
#[derive(Clone)]
pub struct PersonMatcher {
    shared: Arc<Shared>,
    store: Store,
    tx: Arc<OnceLock<mpsc::UnboundedSender<Job>>>,
}

/// The current year, for date-of-birth validation in the linkage normaliser.
fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

impl PersonMatcher {
    /// A matcher using `model` over `store`. The index is loaded when the worker starts.
    pub fn new(store: Store, model: Model) -> Self {
        let index = Index::new(model.clone(), this_year());
        Self {
            shared: Arc::new(Shared { index: RwLock::new(index), model }),
            store,
            tx: Arc::new(OnceLock::new()),
        }
    }

    /// Starts the worker (loading the index, then sweeping unlinked contacts) if not running.
    /// Must be called inside a Tokio runtime.
    pub fn start(&self) {
        self.sender();
    }

    fn sender(&self) -> &mpsc::UnboundedSender<Job> {
        self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            worker::spawn(self.shared.clone(), self.store.clone(), tx.clone(), rx);
            tx
        })
    }

    /// Asks for a contact to be matched (after a create or a change of caller details).
    pub fn enqueue(&self, contact: &str) {
        let _ = self.sender().send(Job::Match(contact.to_string(), None));
    }

    /// Waits until every job queued so far is done.
    pub async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.sender().send(Job::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    /// Scores caller details against the index without changing it: the persons they may be.
    pub fn candidates(&self, caller: &fc_domain::CallerDetails, limit: usize) -> MatchResult {
        let parts = raw_parts(caller);
        let mut result = match self.shared.index.read() {
            Ok(index) => index.match_record(&parts.raw(), limit),
            Err(_) => MatchResult::default(),
        };
        // A person the worker is creating this instant has no reference yet.
        result.candidates.retain(|c| c.person < worker::PROVISIONAL);
        result
    }

    /// The (link, review) probability thresholds in force.
    pub fn thresholds(&self) -> (f64, f64) {
        (self.shared.model.thresholds.link, self.shared.model.thresholds.review)
    }

    /// Records indexed (for health pages and tests).
    pub fn indexed(&self) -> usize {
        self.shared.index.read().map(|i| i.len()).unwrap_or(0)
    }
}

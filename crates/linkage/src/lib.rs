//! Probabilistic record linkage for the single citizen view: which records are the same person.
//!
//! Pure: no file or network I/O, no clock, no global randomness (seeds and the current year come
//! in as arguments), and nothing printed. The pieces, in the order data flows through them:
//!
//! - [`normalise`]: raw text to a compact [`Record`] (names, nicknames, phones to E.164,
//!   postcodes, emails, dates of birth, addresses); bad fields become missing, with a reason.
//! - [`compare`]: two records to agreement levels per field (Fellegi-Sunter "gamma").
//! - [`model`]: m/u probabilities, term-frequency adjustment, match weight, probability and a
//!   per-field explanation; [`model::train`] estimates them without labels (random sampling + EM).
//! - [`blocking`]: candidate pairs from several rules, deduplicated, with guards on block size.
//! - [`cluster`]: links into persons, with a guard against chaining through contradictions.
//! - [`batch`]: deduplicate or link whole data sets in parallel; [`realtime`]: an index that
//!   answers "who is this?" for one record in well under a millisecond.
//! - [`eval`]: pairwise and cluster precision/recall/F1 against ground truth.

pub mod batch;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod error;
pub mod eval;
pub mod hash;
pub mod model;
pub mod normalise;
pub mod realtime;
pub mod record;
pub mod vocab;

pub use batch::{BatchOutput, Dataset, NoProgress, Progress, dedupe, link};
pub use cluster::{Clustering, Link};
pub use error::LinkageError;
pub use model::{Explanation, Model, Scorer};
pub use normalise::{FieldIssue, Normaliser};
pub use realtime::{Candidate, Index, MatchResult, PersonId};
pub use record::{RawRecord, Record};

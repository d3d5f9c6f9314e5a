//! Risk-led triage for the control room: helps the handler find those at greatest risk of harm,
//! whatever channel they used, and record a defensible decision.
//!
//! * [`analyser`] reads risk signals from the narrative (lexicons compiled once, negation,
//!   hypotheticals and hearsay handled, typos tolerated), each with its evidence.
//!
//! This crate is pure: no I/O, no clock. "Now", the person's history and the contact's facts come
//! in as arguments, so every rule can be tested and every decision explained later.

pub mod analyser;
pub mod error;
pub mod lexicon;
pub mod signal;

pub use analyser::{Analyser, Discounted, DiscountReason, NarrativeFindings};
pub use error::TriageError;
pub use lexicon::Lexicon;
pub use signal::{Evidence, Modality, Signal, SignalKind, SignalSource, Span};

//! Risk-led triage for the control room: helps the handler find those at greatest risk of harm,
//! whatever channel they used, and record a defensible decision.
//!
//! * [`engine::TriageEngine::assess`] is the one call per contact: signals from the narrative
//!   ([`analyser`]), the contact's facts and the person's history ([`context`]), then a recommended
//!   grade with its reasons from configurable [`rules`], with questionnaire and Right Care Right
//!   Person prompts.
//! * [`thrive`] holds the structured THRIVE record (versioned, never overwritten) and its prompts.
//! * [`questionnaire`] scores DASH, S-DASH, RCRP and any force questionnaire, raising referrals.
//! * [`decision`] records the handler's final grade, requiring a reason for an override.
//! * [`eval`] measures the engine against the labelled corpus in `corpus/narratives.jsonl`.
//!
//! This crate is pure: no I/O, no clock. "Now", the person's history and the contact's facts come
//! in as arguments, so every rule can be tested and every decision explained later.

pub mod analyser;
pub mod context;
pub mod decision;
pub mod engine;
pub mod error;
pub mod eval;
pub mod lexicon;
pub mod markers;
pub mod questionnaire;
pub mod rules;
pub mod signal;
pub mod thrive;

pub use analyser::{Analyser, DiscountReason, Discounted, NarrativeFindings};
pub use context::{ContactInput, ContextThresholds, PersonHistory, PriorRecord};
pub use decision::{GradeDecision, decide};
pub use engine::{Assessment, TriageEngine};
pub use error::TriageError;
pub use lexicon::Lexicon;
pub use markers::{Marker, MarkerCategory, MarkerList};
pub use questionnaire::{
    Answer, ProfessionalJudgement, Questionnaire, QuestionnaireLibrary, QuestionnaireResult, ReferralTask,
    RiskLevel,
};
pub use rules::{GradeRules, QuestionnairePrompt, RcrpPrompt, Reason, Recommendation};
pub use signal::{Evidence, Modality, Signal, SignalKind, SignalSource, Span};
pub use thrive::{Judgement, ThriveDraft, ThriveElement, ThriveEntry, ThriveHistory, ThriveRecord};

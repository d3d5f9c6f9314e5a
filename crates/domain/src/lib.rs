//! The control room's vocabulary: channels, grades, contact lifecycle, caller details.
//!
//! This crate is pure: no I/O, no clock, no randomness. Time comes in as arguments so the rules can
//! be tested exhaustively. Every type that is built from outside input has a `parse` that returns a
//! `Result`, so an invalid value cannot exist past the edge of the system.

pub mod actor;
pub mod aml;
pub mod callback;
pub mod channel;
pub mod contact;
pub mod error;
pub mod geo;
pub mod grade;
pub mod handler;
pub mod incident;
pub mod local_time;
pub mod partial_date;
pub mod person;
pub mod postcode;
pub mod record;
pub mod reference;
pub mod referral;
pub mod role;
pub mod unit;
pub mod wellbeing;
mod wire;

pub use actor::Actor;
pub use aml::AmlMessage;
pub use callback::CallbackOutcome;
pub use channel::Channel;
pub use contact::{ContactFlag, ContactStatus, Outcome};
pub use error::DomainError;
pub use geo::GeoPoint;
pub use grade::Grade;
pub use handler::{HandlerState, Skill};
pub use incident::{Incident, IncidentRef, IncidentStatus};
pub use partial_date::PartialDate;
pub use postcode::Postcode;
pub use record::{CallerDetails, Contact, ContactPatch, FieldError, NewContact};
pub use reference::ContactRef;
pub use referral::{ReferralAction, ReferralStatus};
pub use role::Role;
pub use unit::{CallSign, Unit, UnitStatus};
pub use wellbeing::CheckInOutcome;

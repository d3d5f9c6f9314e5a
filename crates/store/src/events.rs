//! Committed changes, broadcast to live screens (SSE). Sent only after the transaction commits, so
//! a screen never shows something that was then rolled back.

use fc_domain::{Channel, ContactStatus, HandlerState};
use serde::Serialize;

/// Something changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StoreEvent {
    /// A contact was created or changed.
    Contact {
        /// Its public reference.
        reference: String,
        /// Its channel.
        channel: Channel,
        /// Its status after the change.
        status: ContactStatus,
        /// Its version after the change.
        version: i64,
    },
    /// A handler's state changed (ready, on contact, break...).
    Handler {
        /// Whose state.
        username: String,
        /// The state after the change.
        state: HandlerState,
    },
    /// An incident was raised or changed (status, grade, links, log).
    Incident {
        /// Its reference.
        reference: String,
        /// Its status after the change.
        status: fc_domain::IncidentStatus,
        /// Its grade.
        grade: fc_domain::Grade,
        /// Its version after the change.
        version: i64,
    },
    /// A unit was created, moved or changed status.
    Unit {
        /// Its call sign.
        call_sign: String,
        /// Its status after the change.
        status: fc_domain::UnitStatus,
        /// The incident it is committed to, if any.
        incident: Option<String>,
    },
    /// A contact's link to a person changed (linked, unlinked, moved by a merge or split, or a
    /// review decided), so every process's person matcher can follow people's decisions without
    /// rebuilding its index, and open profile screens can refresh.
    PersonLink {
        /// The contact's reference.
        contact: String,
        /// The person it belongs to now; `None` when its link ended and it has no other.
        person: Option<String>,
    },
}

impl StoreEvent {
    /// The SSE event name for this change (`contact`, `incident`, `unit`, `handler`,
    /// `person_link`).
    pub fn kind(&self) -> &'static str {
        match self {
            StoreEvent::Contact { .. } => "contact",
            StoreEvent::Incident { .. } => "incident",
            StoreEvent::Unit { .. } => "unit",
            StoreEvent::Handler { .. } => "handler",
            StoreEvent::PersonLink { .. } => "person_link",
        }
    }
}

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
}

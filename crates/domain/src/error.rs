//! Errors raised when outside input breaks a domain rule. They carry the field name so the HTTP
//! layer can report field-level problems without knowing the rules.

use thiserror::Error;

/// A domain rule was broken. Each variant names what was wrong in words a developer understands.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A value failed validation; `field` is the name the API user sent it under.
    #[error("{field}: {message}")]
    Invalid {
        /// The field (JSON name) that carried the bad value.
        field: &'static str,
        /// What was wrong, for a person.
        message: String,
    },
    /// A contact lifecycle transition that the rules forbid.
    #[error("a contact cannot move from {from} to {to}")]
    IllegalTransition {
        /// The current status.
        from: crate::ContactStatus,
        /// The requested status.
        to: crate::ContactStatus,
    },
    /// An incident or unit move that the rules forbid (a unit arriving before it was sent).
    #[error("{what} cannot move from {from} to {to}")]
    IllegalMove {
        /// What was moving: "incident" or "unit".
        what: &'static str,
        /// The current status.
        from: String,
        /// The requested status.
        to: String,
    },
    /// A handler state change that the rules forbid (e.g. signing out with a caller on the line).
    #[error("a handler cannot move from {from} to {to}")]
    IllegalHandlerTransition {
        /// The current state.
        from: crate::HandlerState,
        /// The requested state.
        to: crate::HandlerState,
    },
}

impl DomainError {
    /// Shorthand used by the parsers in this crate.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
}

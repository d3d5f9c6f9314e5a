//! The contact lifecycle. A contact moves received -> queued -> in progress -> closed, or ends
//! abandoned (the caller gave up before an answer) or transferred (to another force or agency).
//! The rules live here so every entry point (API, UI, live generator, import) enforces the same.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a contact is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Arrived at the force; not yet waiting for a handler.
    Received,
    /// Waiting for a handler.
    Queued,
    /// A handler has answered and is dealing with it.
    InProgress,
    /// Finished, with an outcome.
    Closed,
    /// The caller hung up or left before being answered.
    Abandoned,
    /// Passed to another force or agency.
    Transferred,
}

impl ContactStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ContactStatus; 6] = [
        ContactStatus::Received,
        ContactStatus::Queued,
        ContactStatus::InProgress,
        ContactStatus::Closed,
        ContactStatus::Abandoned,
        ContactStatus::Transferred,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactStatus::Received => "received",
            ContactStatus::Queued => "queued",
            ContactStatus::InProgress => "in_progress",
            ContactStatus::Closed => "closed",
            ContactStatus::Abandoned => "abandoned",
            ContactStatus::Transferred => "transferred",
        }
    }

    /// Whether nothing more can happen to the contact.
    pub fn is_terminal(self) -> bool {
        matches!(self, ContactStatus::Closed | ContactStatus::Abandoned | ContactStatus::Transferred)
    }

    /// Whether the contact is still waiting to be answered (what the queue shows).
    pub fn is_waiting(self) -> bool {
        matches!(self, ContactStatus::Received | ContactStatus::Queued)
    }

    /// Checks a move to `to`; the only place the lifecycle is defined.
    pub fn transition(self, to: ContactStatus) -> Result<ContactStatus, DomainError> {
        use ContactStatus::*;
        let allowed = matches!(
            (self, to),
            (Received, Queued | InProgress | Abandoned | Transferred)
                | (Queued, InProgress | Abandoned | Transferred)
                | (InProgress, Closed | Transferred)
        );
        if allowed { Ok(to) } else { Err(DomainError::IllegalTransition { from: self, to }) }
    }
}

impl fmt::Display for ContactStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ContactStatus {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ContactStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::invalid("status", format!("unknown status {s:?}")))
    }
}

/// How a closed contact was resolved; feeds the "resolved at first point of contact" measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Resolved at the first point of contact.
    ResolvedAtFirstContact,
    /// An incident was raised for a police response.
    IncidentRaised,
    /// Referred to a partner agency (health, social care...).
    ReferredToPartner,
    /// Advice given.
    AdviceGiven,
    /// No further action.
    NoFurtherAction,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 5] = [
        Outcome::ResolvedAtFirstContact,
        Outcome::IncidentRaised,
        Outcome::ReferredToPartner,
        Outcome::AdviceGiven,
        Outcome::NoFurtherAction,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ResolvedAtFirstContact => "resolved_at_first_contact",
            Outcome::IncidentRaised => "incident_raised",
            Outcome::ReferredToPartner => "referred_to_partner",
            Outcome::AdviceGiven => "advice_given",
            Outcome::NoFurtherAction => "no_further_action",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::ResolvedAtFirstContact => "Resolved at first contact",
            Outcome::IncidentRaised => "Incident raised",
            Outcome::ReferredToPartner => "Referred to partner",
            Outcome::AdviceGiven => "Advice given",
            Outcome::NoFurtherAction => "No further action",
        }
    }
}

impl FromStr for Outcome {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::invalid("outcome", format!("unknown outcome {s:?}")))
    }
}

/// Facts about how a contact arrived that change how it is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactFlag {
    /// A silent 999 call: the caller could not speak ("55" / Silent Solution).
    #[serde(rename = "silent_999")]
    Silent999,
    /// The caller is a child.
    CallerIsChild,
    /// The caller asked for an interpreter.
    InterpreterNeeded,
    /// The contact came through a relay service (Relay UK, BSL video relay).
    Relay,
    /// The caller asked for a callback instead of waiting.
    CallbackRequested,
    /// The contact repeats an earlier report.
    RepeatCaller,
}

impl ContactFlag {
    /// Every flag.
    pub const ALL: [ContactFlag; 6] = [
        ContactFlag::Silent999,
        ContactFlag::CallerIsChild,
        ContactFlag::InterpreterNeeded,
        ContactFlag::Relay,
        ContactFlag::CallbackRequested,
        ContactFlag::RepeatCaller,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactFlag::Silent999 => "silent_999",
            ContactFlag::CallerIsChild => "caller_is_child",
            ContactFlag::InterpreterNeeded => "interpreter_needed",
            ContactFlag::Relay => "relay",
            ContactFlag::CallbackRequested => "callback_requested",
            ContactFlag::RepeatCaller => "repeat_caller",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            ContactFlag::Silent999 => "Silent 999 (55)",
            ContactFlag::CallerIsChild => "Caller is a child",
            ContactFlag::InterpreterNeeded => "Interpreter needed",
            ContactFlag::Relay => "Relay service",
            ContactFlag::CallbackRequested => "Callback requested",
            ContactFlag::RepeatCaller => "Repeat caller",
        }
    }
}

impl FromStr for ContactFlag {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ContactFlag::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::invalid("flags", format!("unknown flag {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContactStatus::*;
    use proptest::prelude::*;

    #[test]
    fn happy_path_is_allowed() {
        assert_eq!(Received.transition(Queued), Ok(Queued));
        assert_eq!(Queued.transition(InProgress), Ok(InProgress));
        assert_eq!(InProgress.transition(Closed), Ok(Closed));
    }

    #[test]
    fn cannot_abandon_an_answered_call_or_reopen_a_closed_one() {
        assert!(InProgress.transition(Abandoned).is_err());
        assert!(Closed.transition(InProgress).is_err());
        assert!(Queued.transition(Closed).is_err());
    }

    fn any_status() -> impl Strategy<Value = ContactStatus> {
        prop::sample::select(ContactStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn terminal_statuses_never_move(from in any_status(), to in any_status()) {
            if from.is_terminal() {
                prop_assert!(from.transition(to).is_err());
            }
        }

        #[test]
        fn no_status_moves_to_itself_or_back_to_received(from in any_status()) {
            prop_assert!(from.transition(from).is_err());
            prop_assert!(from.transition(Received).is_err());
        }

        #[test]
        fn flag_wire_names_match_serde(f in prop::sample::select(ContactFlag::ALL.to_vec())) {
            let json = serde_json::to_string(&f).expect("serialise");
            prop_assert_eq!(json, format!("\"{}\"", f.as_str()));
        }

        #[test]
        fn wire_names_round_trip(s in any_status()) {
            prop_assert_eq!(s.as_str().parse::<ContactStatus>(), Ok(s));
        }
    }
}

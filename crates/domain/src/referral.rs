//! The referral task workflow. A questionnaire result that calls for it (DASH high: MARAC) raises
//! a referral task; a supervisor moves it on: open → accepted (assigned to a named user) → sent
//! (to the partner agency, with the agency's name and a reference) or declined (with a reason,
//! from open or accepted). Sent and declined are final. The rules live here, pure, so the store,
//! the API and the screens refuse exactly the same moves.

use crate::DomainError;
use crate::person::parse_reason;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a referral task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Raised by a questionnaire result; nobody owns it yet.
    Open,
    /// A named user owns it and will make the referral.
    Accepted,
    /// Made to the partner agency (final).
    Sent,
    /// Not made, with a reason (final).
    Declined,
}

impl ReferralStatus {
    /// Every status, in workflow order.
    pub const ALL: [ReferralStatus; 4] =
        [ReferralStatus::Open, ReferralStatus::Accepted, ReferralStatus::Sent, ReferralStatus::Declined];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Open => "open",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Sent => "sent",
            ReferralStatus::Declined => "declined",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::Open => "Open",
            ReferralStatus::Accepted => "Accepted",
            ReferralStatus::Sent => "Sent to partner",
            ReferralStatus::Declined => "Declined",
        }
    }

    /// True once nothing more can happen to the task.
    pub fn is_final(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Declined)
    }

    /// Applies a move, or refuses it. `assigned_to` is who holds the task now (re-accepting is a
    /// reassignment and must name somebody else). The action is checked with
    /// [`ReferralAction::parse`] first, so its fields are known to be valid here.
    pub fn apply(
        self,
        action: &ReferralAction,
        assigned_to: Option<&str>,
    ) -> Result<ReferralStatus, DomainError> {
        use ReferralStatus::*;
        let to = action.target();
        let allowed = match (self, action) {
            (Open, ReferralAction::Accept { .. }) => true,
            (Accepted, ReferralAction::Accept { assignee }) => assigned_to != Some(assignee.as_str()),
            (Accepted, ReferralAction::Send { .. }) => true,
            (Open | Accepted, ReferralAction::Decline { .. }) => true,
            _ => false,
        };
        if allowed {
            Ok(to)
        } else {
            Err(DomainError::IllegalMove { what: "referral", from: self.to_string(), to: to.to_string() })
        }
    }
}

impl fmt::Display for ReferralStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReferralStatus {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReferralStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid("to", format!("unknown referral status {s:?}")))
    }
}

/// A move of a referral task, with what each move needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferralAction {
    /// Take it on (or reassign it): `assignee` is the username who will make the referral.
    Accept {
        /// The user who owns the task from now.
        assignee: String,
    },
    /// It was made to the partner agency.
    Send {
        /// Which agency (e.g. "Manchester MARAC", "Adult social care").
        agency: String,
        /// The agency's reference, or how it was sent, so it can be traced.
        reference: String,
        /// Anything else worth keeping (optional).
        note: Option<String>,
    },
    /// It will not be made.
    Decline {
        /// Why (required: a referral not made must be defensible).
        reason: String,
    },
}

/// Trims a required text field and checks its length in characters.
fn required(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        return Err(DomainError::invalid(field, format!("give 1 to {max} characters")));
    }
    Ok(v.to_string())
}

impl ReferralAction {
    /// Checks and trims the action's fields: an assignee of 1–64 characters, an agency of 1–200,
    /// a reference of 1–200, an optional note of up to 2000, a decline reason of 3–2000.
    pub fn parse(self) -> Result<Self, DomainError> {
        Ok(match self {
            ReferralAction::Accept { assignee } => {
                ReferralAction::Accept { assignee: required("assignee", &assignee, 64)? }
            }
            ReferralAction::Send { agency, reference, note } => {
                let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
                if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
                    return Err(DomainError::invalid("note", "at most 2000 characters"));
                }
                ReferralAction::Send {
                    agency: required("agency", &agency, 200)?,
                    reference: required("reference", &reference, 200)?,
                    note,
                }
            }
            ReferralAction::Decline { reason } => ReferralAction::Decline { reason: parse_reason(&reason)? },
        })
    }

    /// The status the move leads to.
    pub fn target(&self) -> ReferralStatus {
        match self {
            ReferralAction::Accept { .. } => ReferralStatus::Accepted,
            ReferralAction::Send { .. } => ReferralStatus::Sent,
            ReferralAction::Decline { .. } => ReferralStatus::Declined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;
    use proptest::prelude::*;

    fn accept(who: &str) -> ReferralAction {
        ReferralAction::Accept { assignee: who.into() }
    }
    fn send() -> ReferralAction {
        ReferralAction::Send { agency: "MARAC".into(), reference: "M-1".into(), note: None }
    }
    fn decline() -> ReferralAction {
        ReferralAction::Decline { reason: "already referred by the officer".into() }
    }

    #[test]
    fn the_workflow_moves_open_accepted_sent_or_declined() {
        assert_eq!(Open.apply(&accept("sup"), None), Ok(Accepted));
        assert_eq!(Accepted.apply(&send(), Some("sup")), Ok(Sent));
        assert_eq!(Open.apply(&decline(), None), Ok(Declined));
        assert_eq!(Accepted.apply(&decline(), Some("sup")), Ok(Declined));
        assert_eq!(Accepted.apply(&accept("other"), Some("sup")), Ok(Accepted), "reassigned");
    }

    #[test]
    fn illegal_moves_are_refused() {
        assert!(matches!(Open.apply(&send(), None), Err(DomainError::IllegalMove { what: "referral", .. })));
        assert!(Accepted.apply(&accept("sup"), Some("sup")).is_err(), "same assignee again");
        for done in [Sent, Declined] {
            for a in [accept("x"), send(), decline()] {
                assert!(done.apply(&a, Some("sup")).is_err(), "{done} is final");
            }
        }
    }

    #[test]
    fn fields_are_checked_and_trimmed() {
        assert_eq!(accept("  sup ").parse(), Ok(accept("sup")));
        assert!(accept(" ").parse().is_err());
        let bad = ReferralAction::Send { agency: "MARAC".into(), reference: "".into(), note: None };
        assert!(matches!(bad.parse(), Err(DomainError::Invalid { field: "reference", .. })));
        let blank_note = ReferralAction::Send {
            agency: " MARAC ".into(),
            reference: "M-1".into(),
            note: Some(" ".into()),
        };
        assert_eq!(blank_note.parse(), Ok(send()));
        let short = ReferralAction::Decline { reason: "no".into() };
        assert!(matches!(short.parse(), Err(DomainError::Invalid { field: "reason", .. })));
        for s in ReferralStatus::ALL {
            assert_eq!(s.as_str().parse::<ReferralStatus>(), Ok(s));
        }
        assert!("closed".parse::<ReferralStatus>().is_err());
    }

    fn any_action() -> impl Strategy<Value = ReferralAction> {
        prop_oneof![prop::sample::select(vec!["amy", "bob"]).prop_map(accept), Just(send()), Just(decline()),]
    }

    proptest! {
        /// Whatever moves are tried, a task only ever reaches sent through accepted, never leaves
        /// a final status, and every accepted move lands on the action's target.
        #[test]
        fn any_sequence_keeps_the_rules(actions in prop::collection::vec(any_action(), 0..12)) {
            let (mut status, mut owner): (ReferralStatus, Option<String>) = (Open, None);
            for a in &actions {
                let before = status;
                match status.apply(a, owner.as_deref()) {
                    Ok(next) => {
                        prop_assert!(!before.is_final());
                        prop_assert_eq!(next, a.target());
                        if next == Sent { prop_assert_eq!(before, Accepted); }
                        if let ReferralAction::Accept { assignee } = a { owner = Some(assignee.clone()); }
                        status = next;
                    }
                    Err(_) => prop_assert_eq!(status, before),
                }
            }
            prop_assert!(status != Sent || owner.is_some(), "sent tasks had an owner");
        }
    }
}

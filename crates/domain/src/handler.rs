//! Call handlers as the queue sees them: what they are skilled to take and what state they are in.
//! The state machine lives here so the API, the router and the demo all refuse the same moves, and
//! the time spent in each state (for occupancy and wellbeing) is computed one way from the stored,
//! append-only history.

use crate::{Channel, ContactFlag, DomainError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a handler is trained and trusted to take. Routing only offers a contact to a handler who
/// holds every skill it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Skill {
    /// 999 calls (and live video, which is an emergency channel).
    #[serde(rename = "999")]
    Emergency999,
    /// 101 calls.
    #[serde(rename = "101")]
    NonEmergency101,
    /// Written digital contact: webchat, social media, email, online reports.
    #[serde(rename = "digital")]
    Digital,
    /// Works with interpreters; needed for contacts flagged `interpreter_needed`.
    #[serde(rename = "languages")]
    Languages,
    /// Relay UK, emergencySMS and BSL video relay.
    #[serde(rename = "bsl_relay")]
    BslRelay,
}

impl Skill {
    /// Every skill.
    pub const ALL: [Skill; 5] =
        [Skill::Emergency999, Skill::NonEmergency101, Skill::Digital, Skill::Languages, Skill::BslRelay];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Skill::Emergency999 => "999",
            Skill::NonEmergency101 => "101",
            Skill::Digital => "digital",
            Skill::Languages => "languages",
            Skill::BslRelay => "bsl_relay",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Skill::Emergency999 => "999",
            Skill::NonEmergency101 => "101",
            Skill::Digital => "Digital",
            Skill::Languages => "Languages",
            Skill::BslRelay => "BSL / relay",
        }
    }

    /// The skill a channel needs.
    pub fn for_channel(channel: Channel) -> Skill {
        match channel {
            Channel::Emergency999 | Channel::Video => Skill::Emergency999,
            Channel::NonEmergency101 => Skill::NonEmergency101,
            Channel::TextRelay => Skill::BslRelay,
            Channel::Webchat | Channel::SocialMedia | Channel::Email | Channel::OnlineReport => {
                Skill::Digital
            }
        }
    }

    /// Every skill a contact on `channel` with `flags` needs: its channel's, plus languages when an
    /// interpreter was asked for.
    pub fn required(channel: Channel, flags: &[ContactFlag]) -> Vec<Skill> {
        let mut skills = vec![Skill::for_channel(channel)];
        if flags.contains(&ContactFlag::InterpreterNeeded) {
            skills.push(Skill::Languages);
        }
        skills
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Skill {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Skill::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "skills",
                format!("unknown skill {s:?}; expected one of {}", Skill::ALL.map(|k| k.as_str()).join(", ")),
            )
        })
    }
}

/// Where a handler is in their shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandlerState {
    /// Not working (the state before the first sign-in).
    SignedOut,
    /// At a desk but not taking contacts (briefing, admin).
    SignedIn,
    /// Waiting for a contact: the router may offer one.
    Ready,
    /// Dealing with one or more contacts (several webchats at once).
    OnContact,
    /// Finishing the record after a contact, before taking the next.
    WrapUp,
    /// On a break.
    Break,
}

impl HandlerState {
    /// Every state.
    pub const ALL: [HandlerState; 6] = [
        HandlerState::SignedOut,
        HandlerState::SignedIn,
        HandlerState::Ready,
        HandlerState::OnContact,
        HandlerState::WrapUp,
        HandlerState::Break,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            HandlerState::SignedOut => "signed_out",
            HandlerState::SignedIn => "signed_in",
            HandlerState::Ready => "ready",
            HandlerState::OnContact => "on_contact",
            HandlerState::WrapUp => "wrap_up",
            HandlerState::Break => "break",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            HandlerState::SignedOut => "Signed out",
            HandlerState::SignedIn => "Signed in",
            HandlerState::Ready => "Ready",
            HandlerState::OnContact => "On contact",
            HandlerState::WrapUp => "Wrap-up",
            HandlerState::Break => "Break",
        }
    }

    /// Whether the handler is working (counts toward the handlers on shift).
    pub fn is_on_shift(self) -> bool {
        self != HandlerState::SignedOut
    }

    /// Checks a move to `to`; the only place the handler state machine is defined.
    ///
    /// `on_contact` is entered only by taking a contact (the router or "take next"); leaving it
    /// goes through wrap-up, so nobody signs out or goes on a break with a caller on the line.
    pub fn transition(self, to: HandlerState) -> Result<HandlerState, DomainError> {
        use HandlerState::*;
        let allowed = matches!(
            (self, to),
            (SignedOut, SignedIn)
                | (SignedIn, Ready | Break | SignedOut)
                | (Ready, OnContact | SignedIn | Break | SignedOut)
                | (OnContact, WrapUp)
                | (WrapUp, Ready | SignedIn | Break | SignedOut | OnContact)
                | (Break, Ready | SignedIn | SignedOut)
        );
        if allowed { Ok(to) } else { Err(DomainError::IllegalHandlerTransition { from: self, to }) }
    }
}

impl fmt::Display for HandlerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HandlerState {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HandlerState::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "state",
                format!(
                    "unknown state {s:?}; expected one of {}",
                    HandlerState::ALL.map(|k| k.as_str()).join(", ")
                ),
            )
        })
    }
}

/// Seconds spent in each state between `from` and `to` (Unix seconds), given the state changes
/// as `(at, new state)` in time order and the state before the first of them. Changes outside the
/// window still set the state at its start. Indexed like [`HandlerState::ALL`].
pub fn time_in_states(
    initial: HandlerState,
    changes: &[(i64, HandlerState)],
    from: i64,
    to: i64,
) -> [i64; 6] {
    let mut out = [0i64; 6];
    if to <= from {
        return out;
    }
    let index = |s: HandlerState| HandlerState::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut state = initial;
    let mut since = from;
    for &(at, next) in changes {
        if at <= from {
            state = next;
            continue;
        }
        if at >= to {
            break;
        }
        out[index(state)] += at - since;
        state = next;
        since = at;
    }
    out[index(state)] += to - since;
    out
}

#[cfg(test)]
mod tests {
    use super::HandlerState::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_shift_runs_through_the_states() {
        let mut s = SignedOut;
        for to in [SignedIn, Ready, OnContact, WrapUp, Ready, Break, Ready, SignedIn, SignedOut] {
            s = s.transition(to).expect("legal");
        }
        assert_eq!(s, SignedOut);
    }

    #[test]
    fn nobody_leaves_a_caller_on_the_line() {
        assert!(OnContact.transition(SignedOut).is_err());
        assert!(OnContact.transition(Break).is_err());
        assert!(OnContact.transition(Ready).is_err());
        assert!(SignedOut.transition(Ready).is_err());
        assert!(SignedOut.transition(OnContact).is_err());
    }

    #[test]
    fn skills_follow_channels_and_flags() {
        assert_eq!(Skill::required(Channel::Video, &[]), vec![Skill::Emergency999]);
        assert_eq!(
            Skill::required(Channel::Webchat, &[ContactFlag::InterpreterNeeded]),
            vec![Skill::Digital, Skill::Languages]
        );
        assert!("fax".parse::<Skill>().is_err());
        for k in Skill::ALL {
            assert_eq!(k.as_str().parse::<Skill>(), Ok(k));
        }
    }

    #[test]
    fn time_in_states_splits_the_window() {
        let changes = [(0, SignedIn), (10, Ready), (40, OnContact), (100, WrapUp)];
        let t = time_in_states(SignedOut, &changes, 5, 110);
        assert_eq!(t, [0, 5, 30, 60, 10, 0]);
    }

    fn any_state() -> impl Strategy<Value = HandlerState> {
        prop::sample::select(HandlerState::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn no_state_moves_to_itself(s in any_state()) {
            prop_assert!(s.transition(s).is_err());
        }

        #[test]
        fn on_contact_only_after_ready_or_wrap_up(s in any_state()) {
            if s.transition(OnContact).is_ok() {
                prop_assert!(matches!(s, Ready | WrapUp));
            }
        }

        #[test]
        fn time_in_states_adds_up(
            mut changes in prop::collection::vec((0i64..1000, any_state()), 0..20),
            from in 0i64..500, len in 0i64..600,
        ) {
            changes.sort_by_key(|c| c.0);
            let t = time_in_states(SignedOut, &changes, from, from + len);
            prop_assert_eq!(t.iter().sum::<i64>(), len);
            prop_assert!(t.iter().all(|x| *x >= 0));
        }

        #[test]
        fn wire_names_round_trip(s in any_state()) {
            prop_assert_eq!(s.as_str().parse::<HandlerState>(), Ok(s));
            let json = serde_json::to_string(&s).expect("serialise");
            prop_assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }
}

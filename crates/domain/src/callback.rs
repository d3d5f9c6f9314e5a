//! 101 virtual hold: a caller asks to be called back instead of waiting on the line, keeping their
//! place in the queue. What happened when the handler rang back is recorded on the contact's log.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What happened when a handler rang a caller back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallbackOutcome {
    /// Spoke to the caller.
    Reached,
    /// Rang out.
    NoAnswer,
    /// Left a voicemail.
    Voicemail,
    /// The number was wrong or unobtainable.
    WrongNumber,
    /// The caller no longer needed the police.
    NoLongerNeeded,
}

impl CallbackOutcome {
    /// Every outcome.
    pub const ALL: [CallbackOutcome; 5] = [
        CallbackOutcome::Reached,
        CallbackOutcome::NoAnswer,
        CallbackOutcome::Voicemail,
        CallbackOutcome::WrongNumber,
        CallbackOutcome::NoLongerNeeded,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackOutcome::Reached => "reached",
            CallbackOutcome::NoAnswer => "no_answer",
            CallbackOutcome::Voicemail => "voicemail",
            CallbackOutcome::WrongNumber => "wrong_number",
            CallbackOutcome::NoLongerNeeded => "no_longer_needed",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            CallbackOutcome::Reached => "Reached",
            CallbackOutcome::NoAnswer => "No answer",
            CallbackOutcome::Voicemail => "Voicemail left",
            CallbackOutcome::WrongNumber => "Wrong number",
            CallbackOutcome::NoLongerNeeded => "No longer needed",
        }
    }
}

impl FromStr for CallbackOutcome {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallbackOutcome::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::invalid("outcome", format!("unknown callback outcome {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for o in CallbackOutcome::ALL {
            assert_eq!(o.as_str().parse::<CallbackOutcome>(), Ok(o));
            assert_eq!(serde_json::to_string(&o).expect("json"), format!("\"{}\"", o.as_str()));
        }
    }
}

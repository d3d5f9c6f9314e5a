//! Staff wellbeing: what a supervisor's check-in with a handler came to. Handlers take distressing
//! calls back to back; after the worst a supervisor checks in, and the record of it is kept
//! (append-only) beside the handler's exposure, visible only to the handler and supervisors.
//! The exposure rules themselves are in the pure `fc-wellbeing` crate.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Longest note on a check-in, in characters: a line or two, not a case file.
pub const CHECK_IN_NOTE_MAX: usize = 2_000;

/// What a supervisor's check-in came to. Serialised names are stable API values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckInOutcome {
    /// Spoke with the handler, who is fit to carry on.
    Fine,
    /// The handler took a break away from the phones.
    BreakTaken,
    /// Trauma Risk Management (TRiM) offered or arranged.
    TrimReferral,
    /// Taken off contact handling for the rest of the shift.
    StoodDown,
    /// To be looked at again later in the shift.
    FollowUp,
}

impl CheckInOutcome {
    /// Every outcome.
    pub const ALL: [CheckInOutcome; 5] = [
        CheckInOutcome::Fine,
        CheckInOutcome::BreakTaken,
        CheckInOutcome::TrimReferral,
        CheckInOutcome::StoodDown,
        CheckInOutcome::FollowUp,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInOutcome::Fine => "fine",
            CheckInOutcome::BreakTaken => "break_taken",
            CheckInOutcome::TrimReferral => "trim_referral",
            CheckInOutcome::StoodDown => "stood_down",
            CheckInOutcome::FollowUp => "follow_up",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            CheckInOutcome::Fine => "Spoke, fit to carry on",
            CheckInOutcome::BreakTaken => "Break taken",
            CheckInOutcome::TrimReferral => "TRiM offered",
            CheckInOutcome::StoodDown => "Stood down from calls",
            CheckInOutcome::FollowUp => "Follow up later",
        }
    }

    /// Whether the check-in settles what prompted it. A follow-up leaves the check-in due.
    pub fn settles(self) -> bool {
        self != CheckInOutcome::FollowUp
    }
}

impl fmt::Display for CheckInOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CheckInOutcome {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckInOutcome::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "outcome",
                format!(
                    "unknown outcome {s:?}; expected one of {}",
                    CheckInOutcome::ALL.map(|k| k.as_str()).join(", ")
                ),
            )
        })
    }
}

/// Checks a check-in's note: trimmed, empty as none, at most [`CHECK_IN_NOTE_MAX`] characters.
pub fn parse_note(note: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
    if note.chars().count() > CHECK_IN_NOTE_MAX {
        return Err(DomainError::invalid("note", format!("at most {CHECK_IN_NOTE_MAX} characters")));
    }
    Ok(Some(note.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_and_unknown_ones_are_named() {
        for o in CheckInOutcome::ALL {
            assert_eq!(o.as_str().parse::<CheckInOutcome>().expect("parses"), o);
            assert_eq!(serde_json::to_string(&o).expect("json"), format!("\"{}\"", o.as_str()));
        }
        let err = "okay".parse::<CheckInOutcome>().expect_err("unknown");
        assert!(err.to_string().contains("fine, break_taken"), "{err}");
    }

    #[test]
    fn only_a_follow_up_leaves_the_check_in_due() {
        let open: Vec<_> = CheckInOutcome::ALL.into_iter().filter(|o| !o.settles()).collect();
        assert_eq!(open, vec![CheckInOutcome::FollowUp]);
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(parse_note(Some("  ")).expect("ok"), None);
        assert_eq!(parse_note(Some(" ok ")).expect("ok"), Some("ok".into()));
        assert!(parse_note(Some(&"x".repeat(CHECK_IN_NOTE_MAX + 1))).is_err());
        assert!(parse_note(Some(&"é".repeat(CHECK_IN_NOTE_MAX))).is_ok(), "characters, not bytes");
    }
}

//! One handler's exposure as at a moment: the figures, the chart and the prompts together, with a
//! red/amber/green status a supervisor can scan down a room of handlers.
//!
//! `now` is an argument, never read from a clock, so a summary can be recomputed for any past
//! moment (what the screen showed when) and tested to the second. The result never depends on
//! the order of the contacts or check-ins it is given.

use crate::contact::{CheckInRecord, HandledContact};
use crate::policy::Policy;
use crate::prompts::{self, BreakPrompt, CheckInDue};
use crate::totals::{self, DayTotals, Totals, Windows};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// At-a-glance state for the supervisor's view of the room. Serialised names are stable API values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing to act on.
    Green,
    /// Worth watching: a heavy week, or a busy shift of distressing contacts.
    Amber,
    /// A supervisor check-in is due.
    Red,
}

impl Status {
    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Amber => "amber",
            Status::Red => "red",
        }
    }

    /// A label for screens: says what the colour means, for those who cannot tell the colours.
    pub fn label(self) -> &'static str {
        match self {
            Status::Green => "No concerns",
            Status::Amber => "Heavy load",
            Status::Red => "Check-in due",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A handler's exposure as at `now`: what the handler and their supervisors see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// The moment the summary describes.
    pub at: DateTime<Utc>,
    /// Contacts answered in the rolling shift.
    pub shift: Totals,
    /// Contacts answered in the rolling week.
    pub week: Totals,
    /// The last `week_days` UK days, oldest first, empty days included: the week's chart.
    pub days: Vec<DayTotals>,
    /// The latest check-in that settled what prompted it, if any: when a supervisor last spoke.
    pub last_check_in: Option<DateTime<Utc>>,
    /// A supervisor check-in the handler is owed, if any.
    pub check_in_due: Option<CheckInDue>,
    /// A break the handler should take now, if any.
    pub break_prompt: Option<BreakPrompt>,
    /// Whether the week's minutes on high-harm contacts reached the policy's heavy week.
    pub heavy_week: bool,
    /// Red when a check-in is due, amber for a heavy week or a busy shift, green otherwise.
    pub status: Status,
}

/// Summarises one handler's exposure as at `now` from the contacts they handled, their check-ins
/// and the start of their latest break (rules in [`crate::prompts`] and [`crate::totals`]).
pub fn summarise(
    now: DateTime<Utc>,
    handled: &[HandledContact],
    check_ins: &[CheckInRecord],
    last_break_started: Option<DateTime<Utc>>,
    policy: &Policy,
) -> Summary {
    let windows = Windows::new(now, policy);
    let (shift, week) = totals::shift_and_week(&windows, handled, policy);
    let last_check_in = prompts::last_settled(now, check_ins);
    let check_in_due = prompts::check_in_due(&windows, handled, last_check_in, policy);
    let heavy_week = policy.heavy_week_minutes > 0 && week.high_harm_minutes >= policy.heavy_week_minutes;
    let busy_shift = policy.busy_shift > 0 && shift.high_harm() >= policy.busy_shift;
    let status = if check_in_due.is_some() {
        Status::Red
    } else if heavy_week || busy_shift {
        Status::Amber
    } else {
        Status::Green
    };
    Summary {
        at: now,
        shift,
        week,
        days: totals::by_uk_day(now, handled, policy),
        last_check_in,
        check_in_due,
        break_prompt: prompts::break_prompt(now, handled, last_break_started, policy),
        heavy_week,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Level;
    use crate::testkit::{at, contact};
    use fc_domain::CheckInOutcome;

    const NOW: &str = "2026-03-10T12:00:00Z";

    fn summary(handled: &[HandledContact], check_ins: &[CheckInRecord]) -> Summary {
        summarise(at(NOW), handled, check_ins, None, &Policy::default())
    }

    #[test]
    fn a_quiet_shift_is_green_with_a_full_empty_chart() {
        let s = summary(&[contact("R", Level::Routine, "2026-03-10T11:00:00Z", None)], &[]);
        assert_eq!((s.status, s.heavy_week, s.shift.contacts), (Status::Green, false, 1));
        assert_eq!(s.days.len(), 7);
        assert!(s.days.iter().all(|d| d.distressing == 0 && d.severe == 0));
        assert_eq!(s.days.last().map(|d| d.day.to_string()), Some("2026-03-10".into()));
        assert_eq!((s.check_in_due, s.break_prompt, s.last_check_in), (None, None, None));
    }

    #[test]
    fn two_distressing_contacts_in_a_shift_turn_it_amber() {
        let one = [contact("D1", Level::Distressing, "2026-03-10T09:00:00Z", Some("2026-03-10T09:10:00Z"))];
        assert_eq!(summary(&one, &[]).status, Status::Green);
        let mut two = one.to_vec();
        two.push(contact("D2", Level::Distressing, "2026-03-10T10:00:00Z", Some("2026-03-10T10:10:00Z")));
        assert_eq!(summary(&two, &[]).status, Status::Amber);
    }

    #[test]
    fn three_hours_of_harm_in_a_week_is_a_heavy_week() {
        let days = ["03", "04", "05", "06"];
        let handled: Vec<_> = days
            .iter()
            .map(|d| {
                contact(
                    d,
                    Level::Distressing,
                    &format!("2026-03-{d}T13:00:00Z"),
                    Some(&format!("2026-03-{d}T13:45:00Z")),
                )
            })
            .collect();
        let s = summary(&handled, &[]);
        assert_eq!((s.week.high_harm_minutes, s.heavy_week, s.status), (180, true, Status::Amber));
        assert_eq!(s.shift, Totals::default());
        let s = summary(&handled[1..], &[]);
        assert_eq!((s.week.high_harm_minutes, s.heavy_week, s.status), (135, false, Status::Green));
    }

    #[test]
    fn a_severe_contact_is_red_with_a_break_until_a_settling_check_in() {
        let severe = [contact("S", Level::Severe, "2026-03-10T11:40:00Z", Some("2026-03-10T11:55:00Z"))];
        let s = summary(&severe, &[]);
        assert_eq!(s.status, Status::Red);
        assert_eq!(s.check_in_due.as_ref().and_then(|d| d.contact.as_deref()), Some("S"));
        assert_eq!(s.break_prompt.map(|b| b.until), Some(at("2026-03-10T12:05:00Z")));
        let settled = [CheckInRecord { at: at("2026-03-10T11:58:00Z"), outcome: CheckInOutcome::Fine }];
        let s = summary(&severe, &settled);
        assert_eq!((s.status, s.check_in_due, s.last_check_in), (Status::Green, None, Some(settled[0].at)));
        assert!(s.break_prompt.is_some(), "a check-in is not a break");
    }

    #[test]
    fn status_names_round_trip() {
        for status in [Status::Green, Status::Amber, Status::Red] {
            assert_eq!(serde_json::to_string(&status).expect("json"), format!("\"{status}\""));
        }
        assert_eq!(Status::Red.label(), "Check-in due");
    }
}

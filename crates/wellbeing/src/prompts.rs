//! The two prompts that ask someone to act: a break for the handler straight after a severe
//! contact, and a supervisor check-in after the worst contacts or a heavy run of them.
//!
//! A check-in is due when something happened after the latest check-in that settled things
//! ([`fc_domain::CheckInOutcome::settles`]; a follow-up leaves it due):
//! - a severe contact closed (or answered, while still open) within the week; or
//! - the distressing-or-worse contacts answered in the shift since that check-in reached the
//!   policy's `heavy_shift`, at the moment the contact that reached it was answered. Counting from
//!   the check-in means a supervisor who has spoken to the handler is asked again after another
//!   heavy run, not after every further call.
//!
//! Ties are broken on the contact's reference, so the prompts never depend on input order.

use crate::contact::{CheckInRecord, HandledContact};
use crate::level::Level;
use crate::policy::Policy;
use crate::totals::Windows;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// A supervisor check-in the handler is owed, with what prompted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInDue {
    /// When the earliest thing still waiting for a check-in happened: how long the handler has
    /// been waiting.
    pub since: DateTime<Utc>,
    /// Each thing waiting for a check-in, earliest first ("severe contact FC-...: suicide or
    /// self-harm", "4 distressing or severe contacts this shift").
    pub reasons: Vec<String>,
    /// The reference of the earliest severe contact waiting for a check-in, if one is: the call the
    /// supervisor should ask about.
    pub contact: Option<String>,
}

/// A break the handler should take now, after a severe contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakPrompt {
    /// The reference of the severe contact the break follows.
    pub after_contact: String,
    /// When the prompt lapses: the contact's close plus the policy's break.
    pub until: DateTime<Utc>,
}

/// One thing waiting for a check-in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Trigger {
    at: DateTime<Utc>,
    contact: Option<String>,
    reason: String,
}

/// The latest check-in as at now that settled what prompted it.
pub(crate) fn last_settled(now: DateTime<Utc>, check_ins: &[CheckInRecord]) -> Option<DateTime<Utc>> {
    check_ins.iter().filter(|c| c.outcome.settles() && c.at <= now).map(|c| c.at).max()
}

/// The check-in owed as at now, if any (rules in the module doc).
pub(crate) fn check_in_due(
    windows: &Windows,
    handled: &[HandledContact],
    settled: Option<DateTime<Utc>>,
    policy: &Policy,
) -> Option<CheckInDue> {
    let after_settled = |at: DateTime<Utc>| settled.is_none_or(|s| at > s);
    let now = windows.now;
    let mut triggers: Vec<Trigger> = handled
        .iter()
        .filter(|c| c.exposure.level == Level::Severe && c.answered_at <= now)
        .map(|c| (c, c.settled_at(now)))
        .filter(|(_, at)| windows.in_week(*at) && after_settled(*at))
        .map(|(c, at)| Trigger { at, contact: Some(c.reference.clone()), reason: severe_reason(c) })
        .collect();
    triggers.extend(heavy_shift(windows, handled, settled, policy));
    triggers.sort();
    let first = triggers.first()?;
    Some(CheckInDue {
        since: first.at,
        contact: triggers.iter().find_map(|t| t.contact.clone()),
        reasons: triggers.into_iter().map(|t| t.reason).collect(),
    })
}

fn severe_reason(contact: &HandledContact) -> String {
    match contact.exposure.reasons.as_slice() {
        [] => format!("severe contact {}", contact.reference),
        reasons => format!("severe contact {}: {}", contact.reference, reasons.join(", ")),
    }
}

/// The heavy-shift trigger: the contact that brought the shift's count since the last settling
/// check-in to `heavy_shift`.
fn heavy_shift(
    windows: &Windows,
    handled: &[HandledContact],
    settled: Option<DateTime<Utc>>,
    policy: &Policy,
) -> Option<Trigger> {
    let nth = usize::try_from(policy.heavy_shift).ok()?.checked_sub(1)?;
    let mut heavy: Vec<(DateTime<Utc>, &str)> = handled
        .iter()
        .filter(|c| c.exposure.level.is_high_harm() && windows.in_shift(c.answered_at))
        .filter(|c| settled.is_none_or(|s| c.answered_at > s))
        .map(|c| (c.answered_at, c.reference.as_str()))
        .collect();
    heavy.sort_unstable();
    let (at, _) = heavy.get(nth)?;
    let since = if settled.is_some() { "since the last check-in" } else { "this shift" };
    Some(Trigger {
        at: *at,
        contact: None,
        reason: format!("{} distressing or severe contacts {since}", policy.heavy_shift),
    })
}

/// The break owed as at now, if any: the latest severe contact closed less than the policy's break
/// ago, unless a break started at or after its close.
pub(crate) fn break_prompt(
    now: DateTime<Utc>,
    handled: &[HandledContact],
    last_break_started: Option<DateTime<Utc>>,
    policy: &Policy,
) -> Option<BreakPrompt> {
    let length = TimeDelta::try_minutes(policy.break_minutes).filter(|l| *l > TimeDelta::zero())?;
    let (closed, reference) = handled
        .iter()
        .filter(|c| c.exposure.level == Level::Severe)
        .filter_map(|c| {
            c.closed_at.filter(|closed| *closed <= now).map(|closed| (closed, c.reference.as_str()))
        })
        .max()?;
    let until = closed.checked_add_signed(length)?;
    let rested = last_break_started.is_some_and(|b| closed <= b && b <= now);
    (now < until && !rested).then(|| BreakPrompt { after_contact: reference.to_string(), until })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{at, contact};
    use fc_domain::CheckInOutcome;

    const NOW: &str = "2026-03-10T12:00:00Z";

    fn due(handled: &[HandledContact], check_ins: &[CheckInRecord]) -> Option<CheckInDue> {
        let (now, p) = (at(NOW), Policy::default());
        check_in_due(&Windows::new(now, &p), handled, last_settled(now, check_ins), &p)
    }

    fn check_in(when: &str, outcome: CheckInOutcome) -> CheckInRecord {
        CheckInRecord { at: at(when), outcome }
    }

    fn distressing(reference: &str, answered: &str) -> HandledContact {
        contact(reference, Level::Distressing, answered, None)
    }

    #[test]
    fn a_severe_contact_makes_a_check_in_due_from_its_close() {
        let mut severe = contact("S1", Level::Severe, "2026-03-10T10:00:00Z", Some("2026-03-10T10:20:00Z"));
        severe.exposure.reasons = vec!["suicide or self-harm".into()];
        let d = due(&[severe], &[]).expect("due");
        assert_eq!(d.since, at("2026-03-10T10:20:00Z"));
        assert_eq!(d.contact.as_deref(), Some("S1"));
        assert_eq!(d.reasons, vec!["severe contact S1: suicide or self-harm"]);
    }

    #[test]
    fn an_open_severe_contact_counts_from_its_answer_and_an_old_one_not_at_all() {
        let open = contact("S1", Level::Severe, "2026-03-10T11:00:00Z", None);
        assert_eq!(due(&[open], &[]).expect("due").since, at("2026-03-10T11:00:00Z"));
        let old = contact("S0", Level::Severe, "2026-03-02T10:00:00Z", Some("2026-03-02T10:20:00Z"));
        assert_eq!(due(&[old], &[]), None, "beyond the week");
    }

    #[test]
    fn only_a_settling_check_in_after_the_trigger_clears_it() {
        let severe = contact("S1", Level::Severe, "2026-03-10T10:00:00Z", Some("2026-03-10T10:20:00Z"));
        let handled = [severe];
        assert!(due(&handled, &[check_in("2026-03-10T10:30:00Z", CheckInOutcome::FollowUp)]).is_some());
        assert!(due(&handled, &[check_in("2026-03-10T10:10:00Z", CheckInOutcome::Fine)]).is_some(), "before");
        assert!(due(&handled, &[check_in("2026-03-10T10:20:00Z", CheckInOutcome::TrimReferral)]).is_none());
        assert!(due(&handled, &[check_in("2026-03-10T12:00:01Z", CheckInOutcome::Fine)]).is_some(), "future");
    }

    #[test]
    fn a_heavy_shift_makes_a_check_in_due_when_the_count_is_reached() {
        let three: Vec<_> = ["08:00", "09:00", "10:00"]
            .iter()
            .map(|t| distressing(&format!("D{t}"), &format!("2026-03-10T{t}:00Z")))
            .collect();
        assert_eq!(due(&three, &[]), None);
        let mut four = three.clone();
        four.push(contact("S4", Level::Severe, "2026-03-10T11:00:00Z", None));
        let d = due(&four, &[]).expect("due");
        assert_eq!(d.since, at("2026-03-10T11:00:00Z"));
        assert_eq!(d.reasons, vec!["4 distressing or severe contacts this shift", "severe contact S4"]);
        let mut routine = three;
        routine.push(contact("R", Level::Routine, "2026-03-10T11:00:00Z", None));
        assert_eq!(due(&routine, &[]), None, "routine contacts do not count");
    }

    #[test]
    fn after_a_check_in_the_shift_count_starts_again() {
        let times = ["06:00", "07:00", "08:00", "09:00", "10:00", "10:30", "11:00", "11:30"];
        let handled: Vec<_> = times.iter().map(|t| distressing(t, &format!("2026-03-10T{t}:00Z"))).collect();
        let spoke = [check_in("2026-03-10T09:30:00Z", CheckInOutcome::Fine)];
        assert_eq!(due(&handled[..7], &spoke), None, "three since the check-in");
        let d = due(&handled, &spoke).expect("due");
        assert_eq!(d.since, at("2026-03-10T11:30:00Z"));
        assert_eq!(d.reasons, vec!["4 distressing or severe contacts since the last check-in"]);
        assert_eq!(d.contact, None);
    }

    #[test]
    fn since_is_the_earliest_unsettled_trigger_and_contact_the_earliest_severe() {
        let handled = [
            contact("S2", Level::Severe, "2026-03-10T11:00:00Z", Some("2026-03-10T11:10:00Z")),
            contact("S1", Level::Severe, "2026-03-10T09:00:00Z", Some("2026-03-10T09:10:00Z")),
            contact("S0", Level::Severe, "2026-03-10T07:00:00Z", Some("2026-03-10T07:10:00Z")),
        ];
        let d = due(&handled, &[check_in("2026-03-10T08:00:00Z", CheckInOutcome::BreakTaken)]).expect("due");
        assert_eq!((d.since, d.contact.as_deref()), (at("2026-03-10T09:10:00Z"), Some("S1")));
        assert_eq!(d.reasons, vec!["severe contact S1", "severe contact S2"]);
    }

    #[test]
    fn a_break_is_prompted_after_the_latest_severe_close() {
        let (now, p) = (at(NOW), Policy::default());
        let handled = [
            contact("S1", Level::Severe, "2026-03-10T11:30:00Z", Some("2026-03-10T11:52:00Z")),
            contact("S0", Level::Severe, "2026-03-10T11:00:00Z", Some("2026-03-10T11:51:00Z")),
            contact("D", Level::Distressing, "2026-03-10T11:53:00Z", Some("2026-03-10T11:55:00Z")),
            contact("S2", Level::Severe, "2026-03-10T11:56:00Z", None),
        ];
        let prompt = break_prompt(now, &handled, None, &p).expect("prompt");
        assert_eq!(prompt, BreakPrompt { after_contact: "S1".into(), until: at("2026-03-10T12:02:00Z") });
        let on_break = Some(at("2026-03-10T11:52:00Z"));
        assert_eq!(break_prompt(now, &handled, on_break, &p), None, "a break at the close counts");
        let earlier_break = Some(at("2026-03-10T11:51:30Z"));
        assert!(break_prompt(now, &handled, earlier_break, &p).is_some());
    }

    #[test]
    fn the_break_prompt_lapses_after_the_break_length() {
        let p = Policy::default();
        let handled = [contact("S1", Level::Severe, "2026-03-10T11:30:00Z", Some("2026-03-10T11:50:00Z"))];
        assert!(break_prompt(at("2026-03-10T11:59:59Z"), &handled, None, &p).is_some());
        assert_eq!(break_prompt(at(NOW), &handled, None, &p), None, "exactly ten minutes on");
        let no_breaks = Policy { break_minutes: 0, ..p };
        assert_eq!(break_prompt(at("2026-03-10T11:51:00Z"), &handled, None, &no_breaks), None);
    }
}

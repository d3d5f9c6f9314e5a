//! Properties the wellbeing rules must keep whatever the history: figures that cannot contradict
//! each other, no dependence on input order, a check-in that always clears, and grading that only
//! ever rises with more evidence.

use chrono::{DateTime, TimeDelta, Utc};
use fc_domain::{Channel, CheckInOutcome, ContactFlag};
use fc_triage::SignalKind;
use fc_wellbeing::{CheckInRecord, Exposure, HandledContact, Level, Policy, classify, summarise};
use proptest::prelude::*;

/// A Tuesday in March, a few weeks before the clocks change.
fn base() -> DateTime<Utc> {
    "2026-03-10T12:00:00Z".parse().expect("time")
}

fn secs(s: i64) -> TimeDelta {
    TimeDelta::seconds(s)
}

fn any_level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

fn any_contact() -> impl Strategy<Value = HandledContact> {
    (
        prop::sample::select(vec!["FC-1", "FC-2", "FC-3", "FC-4", "FC-5"]),
        prop::sample::select(Channel::ALL.to_vec()),
        // From nine days before the base to an hour after (some after `now`).
        -9 * 86_400i64..3_600,
        prop::option::of(-3_600i64..15 * 3_600),
        any_level(),
    )
        .prop_map(|(reference, channel, answered, closed, level)| {
            let answered_at = base() + secs(answered);
            HandledContact {
                reference: reference.into(),
                channel,
                answered_at,
                closed_at: closed.map(|c| answered_at + secs(c)),
                exposure: Exposure { level, reasons: Vec::new() },
            }
        })
}

fn any_check_in() -> impl Strategy<Value = CheckInRecord> {
    (-9 * 86_400i64..3_600, prop::sample::select(CheckInOutcome::ALL.to_vec()))
        .prop_map(|(at, outcome)| CheckInRecord { at: base() + secs(at), outcome })
}

/// Policies including nonsense ones (zero and negative), which must not break any property.
fn any_policy() -> impl Strategy<Value = Policy> {
    (-2i64..30, -1i64..10, -1i64..30, 0u32..6, 0u32..4, -10i64..400, -5i64..200).prop_map(
        |(shift_hours, week_days, break_minutes, heavy_shift, busy_shift, heavy_week_minutes, cap)| Policy {
            shift_hours,
            week_days,
            break_minutes,
            heavy_shift,
            busy_shift,
            heavy_week_minutes,
            contact_minutes_cap: cap,
        },
    )
}

fn any_history() -> impl Strategy<Value = (Vec<HandledContact>, Vec<CheckInRecord>, Option<DateTime<Utc>>)> {
    (
        prop::collection::vec(any_contact(), 0..24),
        prop::collection::vec(any_check_in(), 0..4),
        prop::option::of((-3_600i64..600).prop_map(|s| base() + secs(s))),
    )
}

proptest! {
    #[test]
    fn the_shift_never_exceeds_the_week(
        (handled, check_ins, rested) in any_history(),
        policy in any_policy(),
    ) {
        let s = summarise(base(), &handled, &check_ins, rested, &policy);
        prop_assert!(s.shift.contacts <= s.week.contacts);
        prop_assert!(s.shift.distressing <= s.week.distressing);
        prop_assert!(s.shift.severe <= s.week.severe);
        prop_assert!(s.shift.high_harm_minutes <= s.week.high_harm_minutes);
    }

    #[test]
    fn minutes_are_never_negative_and_no_contact_beyond_the_cap(
        (handled, check_ins, rested) in any_history(),
        policy in any_policy(),
    ) {
        let now = base();
        let cap = policy.contact_minutes_cap.max(0) * 60;
        for c in &handled {
            let exposed = c.exposed_seconds(now, &policy);
            prop_assert!((0..=cap).contains(&exposed), "{exposed}s for {c:?}");
        }
        let s = summarise(now, &handled, &check_ins, rested, &policy);
        let ceiling = i64::from(s.week.high_harm()) * policy.contact_minutes_cap.max(0);
        prop_assert!((0..=ceiling).contains(&s.week.high_harm_minutes));
        prop_assert!(s.shift.high_harm_minutes >= 0);
        prop_assert!(s.days.iter().all(|d| d.high_harm_minutes >= 0));
    }

    #[test]
    fn the_order_of_contacts_and_check_ins_does_not_matter(
        ((handled, shuffled), (check_ins, reordered)) in (
            prop::collection::vec(any_contact(), 0..24).prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
            prop::collection::vec(any_check_in(), 0..4).prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        ),
        rested in prop::option::of((-3_600i64..600).prop_map(|s| base() + secs(s))),
        policy in any_policy(),
    ) {
        let a = summarise(base(), &handled, &check_ins, rested, &policy);
        let b = summarise(base(), &shuffled, &reordered, rested, &policy);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_settling_check_in_now_clears_the_check_in(
        (handled, mut check_ins, rested) in any_history(),
        outcome in prop::sample::select(CheckInOutcome::ALL.to_vec()).prop_filter("settles", |o| o.settles()),
        policy in any_policy(),
    ) {
        check_ins.push(CheckInRecord { at: base(), outcome });
        let s = summarise(base(), &handled, &check_ins, rested, &policy);
        prop_assert_eq!(s.check_in_due, None);
        prop_assert_ne!(s.status, fc_wellbeing::Status::Red);
        prop_assert_eq!(s.last_check_in, Some(base()));
    }

    #[test]
    fn more_evidence_never_lowers_the_level(
        channel in prop::sample::select(Channel::ALL.to_vec()),
        flags in prop::collection::vec(prop::sample::select(ContactFlag::ALL.to_vec()), 0..3),
        signals in prop::collection::vec(prop::sample::select(SignalKind::ALL.to_vec()), 0..6),
        extra_signal in prop::sample::select(SignalKind::ALL.to_vec()),
        extra_flag in prop::sample::select(ContactFlag::ALL.to_vec()),
    ) {
        let before = classify(channel, &flags, &signals);
        let mut more_signals = signals.clone();
        more_signals.push(extra_signal);
        prop_assert!(classify(channel, &flags, &more_signals).level >= before.level);
        let mut more_flags = flags.clone();
        more_flags.push(extra_flag);
        prop_assert!(classify(channel, &more_flags, &signals).level >= before.level);
        prop_assert_eq!(before.level == Level::Routine, before.reasons.is_empty());
    }
}

//! Exposure figures over a rolling shift, a rolling week and each UK day of the week, so the
//! handler and their supervisor see the build-up, not just the last call.
//!
//! Everything is "as at now": contacts answered after `now` are left out and a close after `now`
//! counts as still open, so the same history always gives the same figures for the same `now`.

use crate::contact::HandledContact;
use crate::level::Level;
use crate::policy::Policy;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use fc_domain::local_time::uk;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most UK days the chart draws, whatever the policy says: a year is already a long chart.
pub const MAX_CHART_DAYS: i64 = 366;

/// Exposure over one window (the shift or the week).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    /// Contacts answered, whatever their level: the load the harm sits in.
    pub contacts: u32,
    /// Distressing contacts (not counting severe ones).
    pub distressing: u32,
    /// Severe contacts.
    pub severe: u32,
    /// Minutes on distressing or severe contacts, each capped by the policy, rounded to the nearest.
    pub high_harm_minutes: i64,
}

impl Totals {
    /// Distressing and severe together: what the shift thresholds count.
    pub fn high_harm(&self) -> u32 {
        self.distressing.saturating_add(self.severe)
    }
}

/// Exposure on one UK day, for the week's chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayTotals {
    /// The UK calendar day (the control room's own, not UTC's).
    pub day: NaiveDate,
    /// Distressing contacts answered that day.
    pub distressing: u32,
    /// Severe contacts answered that day.
    pub severe: u32,
    /// Minutes on distressing or severe contacts answered that day.
    pub high_harm_minutes: i64,
}

/// Counts and seconds as they are added up; minutes are rounded once at the end.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    contacts: u32,
    distressing: u32,
    severe: u32,
    seconds: i64,
}

impl Tally {
    fn add(&mut self, contact: &HandledContact, now: DateTime<Utc>, policy: &Policy) {
        self.contacts = self.contacts.saturating_add(1);
        match contact.exposure.level {
            Level::Routine => {}
            Level::Distressing => self.distressing = self.distressing.saturating_add(1),
            Level::Severe => self.severe = self.severe.saturating_add(1),
        }
        self.seconds = self.seconds.saturating_add(contact.exposed_seconds(now, policy));
    }

    fn minutes(&self) -> i64 {
        self.seconds.saturating_add(30) / 60
    }

    fn totals(&self) -> Totals {
        Totals {
            contacts: self.contacts,
            distressing: self.distressing,
            severe: self.severe,
            high_harm_minutes: self.minutes(),
        }
    }
}

/// The rolling shift and week as at `now`. A window the policy gives no length is empty; the shift
/// never reaches back beyond the week, so its figures can never exceed the week's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Windows {
    pub(crate) now: DateTime<Utc>,
    shift_from: Option<DateTime<Utc>>,
    week_from: Option<DateTime<Utc>>,
}

impl Windows {
    pub(crate) fn new(now: DateTime<Utc>, policy: &Policy) -> Self {
        let week_from = start(now, TimeDelta::try_days(policy.week_days));
        let shift_from = start(now, TimeDelta::try_hours(policy.shift_hours))
            .and_then(|shift| week_from.map(|week| shift.max(week)));
        Windows { now, shift_from, week_from }
    }

    /// Whether `at` falls in the rolling shift (start and now included).
    pub(crate) fn in_shift(&self, at: DateTime<Utc>) -> bool {
        self.shift_from.is_some_and(|from| from <= at && at <= self.now)
    }

    /// Whether `at` falls in the rolling week (start and now included).
    pub(crate) fn in_week(&self, at: DateTime<Utc>) -> bool {
        self.week_from.is_some_and(|from| from <= at && at <= self.now)
    }
}

/// The start of a window of `span` back from `now`; none when the span is missing or not positive.
fn start(now: DateTime<Utc>, span: Option<TimeDelta>) -> Option<DateTime<Utc>> {
    let span = span.filter(|s| *s > TimeDelta::zero())?;
    Some(now.checked_sub_signed(span).unwrap_or(DateTime::<Utc>::MIN_UTC))
}

/// The shift's and the week's totals, over contacts answered in each window.
pub(crate) fn shift_and_week(
    windows: &Windows,
    handled: &[HandledContact],
    policy: &Policy,
) -> (Totals, Totals) {
    let (mut shift, mut week) = (Tally::default(), Tally::default());
    for contact in handled {
        if windows.in_shift(contact.answered_at) {
            shift.add(contact, windows.now, policy);
        }
        if windows.in_week(contact.answered_at) {
            week.add(contact, windows.now, policy);
        }
    }
    (shift.totals(), week.totals())
}

/// One entry per UK day for the policy's last `week_days` UK days (today included), oldest first,
/// empty days included so a chart has no gaps. A contact counts on the UK day it was answered.
pub(crate) fn by_uk_day(now: DateTime<Utc>, handled: &[HandledContact], policy: &Policy) -> Vec<DayTotals> {
    let today = uk(now).date_naive();
    let span = policy.week_days.clamp(0, MAX_CHART_DAYS);
    let days: Vec<NaiveDate> =
        (0..span).rev().filter_map(|back| today.checked_sub_days(Days::new(back.unsigned_abs()))).collect();
    let Some(first) = days.first().copied() else { return Vec::new() };
    let mut tallies: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    for contact in handled.iter().filter(|c| c.answered_at <= now) {
        let day = uk(contact.answered_at).date_naive();
        if first <= day {
            tallies.entry(day).or_default().add(contact, now, policy);
        }
    }
    days.into_iter()
        .map(|day| {
            let t = tallies.get(&day).copied().unwrap_or_default();
            DayTotals { day, distressing: t.distressing, severe: t.severe, high_harm_minutes: t.minutes() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{at, contact};

    #[test]
    fn the_shift_is_the_last_twelve_hours_and_the_week_the_last_seven_days() {
        let now = at("2026-03-10T12:00:00Z");
        let p = Policy::default();
        let handled = [
            contact("now", Level::Severe, "2026-03-10T11:50:00Z", Some("2026-03-10T11:58:00Z")),
            contact("edge", Level::Distressing, "2026-03-10T00:00:00Z", Some("2026-03-10T00:05:00Z")),
            contact("routine", Level::Routine, "2026-03-10T09:00:00Z", Some("2026-03-10T09:30:00Z")),
            contact("yesterday", Level::Distressing, "2026-03-09T23:59:59Z", Some("2026-03-10T00:09:59Z")),
            contact("old", Level::Severe, "2026-03-03T11:59:59Z", Some("2026-03-03T12:30:00Z")),
            contact("future", Level::Severe, "2026-03-10T12:00:01Z", None),
        ];
        let (shift, week) = shift_and_week(&Windows::new(now, &p), &handled, &p);
        assert_eq!(shift, Totals { contacts: 3, distressing: 1, severe: 1, high_harm_minutes: 13 });
        assert_eq!(week, Totals { contacts: 4, distressing: 2, severe: 1, high_harm_minutes: 23 });
        assert_eq!(week.high_harm(), 3);
    }

    #[test]
    fn minutes_are_rounded_once_over_the_sum() {
        let now = at("2026-03-10T12:00:00Z");
        let p = Policy::default();
        let handled = [
            contact("a", Level::Distressing, "2026-03-10T10:00:00Z", Some("2026-03-10T10:00:40Z")),
            contact("b", Level::Distressing, "2026-03-10T10:10:00Z", Some("2026-03-10T10:10:40Z")),
        ];
        let (shift, _) = shift_and_week(&Windows::new(now, &p), &handled, &p);
        assert_eq!(shift.high_harm_minutes, 1, "80 seconds is a minute, not two nor none");
    }

    #[test]
    fn a_policy_without_length_counts_nothing() {
        let now = at("2026-03-10T12:00:00Z");
        let handled = [contact("a", Level::Severe, "2026-03-10T11:00:00Z", None)];
        let p = Policy { shift_hours: 0, week_days: -1, ..Policy::default() };
        let (shift, week) = shift_and_week(&Windows::new(now, &p), &handled, &p);
        assert_eq!((shift, week), (Totals::default(), Totals::default()));
        assert!(by_uk_day(now, &handled, &p).is_empty());
        let long_shift = Policy { shift_hours: 1_000, week_days: 1, ..Policy::default() };
        let w = Windows::new(now, &long_shift);
        assert!(!w.in_shift(at("2026-03-09T11:00:00Z")), "the shift stops where the week does");
    }

    #[test]
    fn days_are_uk_days_oldest_first_with_the_empty_ones() {
        // 1 July is in BST: the UK day of 1 July began at 23:00 UTC on 30 June.
        let now = at("2026-07-01T09:00:00Z");
        let p = Policy { week_days: 3, ..Policy::default() };
        let handled = [
            contact("late", Level::Severe, "2026-06-30T23:30:00Z", Some("2026-06-30T23:40:00Z")),
            contact("before", Level::Distressing, "2026-06-30T22:30:00Z", Some("2026-06-30T22:35:00Z")),
            contact("too_old", Level::Distressing, "2026-06-28T22:59:00Z", Some("2026-06-28T23:30:00Z")),
        ];
        let days = by_uk_day(now, &handled, &p);
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(
            days,
            vec![
                DayTotals { day: day("2026-06-29"), distressing: 0, severe: 0, high_harm_minutes: 0 },
                DayTotals { day: day("2026-06-30"), distressing: 1, severe: 0, high_harm_minutes: 5 },
                DayTotals { day: day("2026-07-01"), distressing: 0, severe: 1, high_harm_minutes: 10 },
            ]
        );
    }

    #[test]
    fn the_chart_is_bounded_whatever_the_policy() {
        let now = at("2026-03-10T12:00:00Z");
        let p = Policy { week_days: i64::MAX, ..Policy::default() };
        assert_eq!(by_uk_day(now, &[], &p).len() as i64, MAX_CHART_DAYS);
    }
}

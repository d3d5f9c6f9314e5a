//! What the summary is built from: the contacts a handler handled, already graded, and the
//! supervisor check-ins recorded for them. Plain records that the store fills; nothing here reads
//! a clock.

use crate::level::Exposure;
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use fc_domain::{Channel, CheckInOutcome};
use serde::{Deserialize, Serialize};

/// One contact a handler answered, with its grade, as the exposure summary needs it. Kept apart
/// from the full contact record so the summary never sees (or leaks) the narrative or caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandledContact {
    /// The contact's reference, so a prompt can say which call it follows.
    pub reference: String,
    /// How it arrived (video is graded apart: the handler saw it).
    pub channel: Channel,
    /// When the handler answered it: which shift, week and UK day it falls in.
    pub answered_at: DateTime<Utc>,
    /// When the handler closed it; none while it is still open.
    pub closed_at: Option<DateTime<Utc>>,
    /// How heavy it was, from [`crate::classify`].
    pub exposure: Exposure,
}

impl HandledContact {
    /// Seconds this contact adds to the handler's time on high-harm contacts as at `now`: zero for
    /// a routine contact; otherwise from answer to close (or to `now` while open, or closed after
    /// `now`), never negative and at most the policy's cap. Public so a screen listing contacts
    /// shows the same time the totals add up.
    pub fn exposed_seconds(&self, now: DateTime<Utc>, policy: &Policy) -> i64 {
        if !self.exposure.level.is_high_harm() {
            return 0;
        }
        let end = self.closed_at.unwrap_or(now).min(now);
        let cap = policy.contact_minutes_cap.max(0).saturating_mul(60);
        (end - self.answered_at).num_seconds().clamp(0, cap)
    }

    /// When the contact stopped weighing on the handler as at `now`: its close, or its answer while
    /// it is still open (or closed after `now`). The moment a severe contact prompts a check-in.
    pub fn settled_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.closed_at.filter(|closed| *closed <= now).map_or(self.answered_at, |c| c.max(self.answered_at))
    }
}

/// A supervisor's check-in with the handler, as the summary needs it: only when and what it came
/// to (the note stays with the record, visible to fewer people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInRecord {
    /// When the check-in was recorded.
    pub at: DateTime<Utc>,
    /// What it came to; only an outcome that settles clears a due check-in.
    pub outcome: CheckInOutcome,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Level;
    use crate::testkit::{at, contact};

    #[test]
    fn time_runs_from_answer_to_close_or_now_and_is_capped() {
        let now = at("2026-03-10T12:00:00Z");
        let p = Policy::default();
        let closed = contact("A", Level::Distressing, "2026-03-10T10:00:00Z", Some("2026-03-10T10:12:30Z"));
        assert_eq!(closed.exposed_seconds(now, &p), 12 * 60 + 30);
        let open = contact("B", Level::Severe, "2026-03-10T11:45:00Z", None);
        assert_eq!(open.exposed_seconds(now, &p), 15 * 60);
        let overnight = contact("C", Level::Severe, "2026-03-09T20:00:00Z", None);
        assert_eq!(overnight.exposed_seconds(now, &p), 120 * 60, "capped");
        let routine = contact("D", Level::Routine, "2026-03-10T10:00:00Z", None);
        assert_eq!(routine.exposed_seconds(now, &p), 0);
    }

    #[test]
    fn bad_times_never_count_negative_or_beyond_now() {
        let now = at("2026-03-10T12:00:00Z");
        let p = Policy::default();
        let backwards = contact("A", Level::Severe, "2026-03-10T11:00:00Z", Some("2026-03-10T10:00:00Z"));
        assert_eq!(backwards.exposed_seconds(now, &p), 0);
        let future = contact("B", Level::Severe, "2026-03-10T11:50:00Z", Some("2026-03-10T13:00:00Z"));
        assert_eq!(future.exposed_seconds(now, &p), 10 * 60);
        assert_eq!(future.settled_at(now), at("2026-03-10T11:50:00Z"), "not closed yet as at now");
        let no_cap = Policy { contact_minutes_cap: -5, ..Policy::default() };
        assert_eq!(future.exposed_seconds(now, &no_cap), 0);
    }
}

//! Staff wellbeing for control-room handlers, who take distressing calls back to back.
//!
//! * [`classify`] grades a handled contact as routine, distressing or severe, with the reasons,
//!   from its channel, flags and triage signals ([`level`] documents the rules).
//! * [`summarise`] turns a handler's graded contacts, check-ins and latest break into the shift's
//!   and week's exposure, a chart by UK day, a break prompt after a severe contact, a supervisor
//!   check-in when one is owed, and a red/amber/green status ([`Policy`] holds the thresholds).
//!
//! This crate is pure: no I/O, no clock. "Now" comes in as an argument, so every prompt can be
//! tested and explained later. It never sees the narrative or the caller: what a handler heard
//! stays in the contact record, and this summary is for the handler and their supervisors only.

pub mod contact;
pub mod level;
pub mod policy;
pub mod prompts;
pub mod summary;
pub mod totals;

pub use contact::{CheckInRecord, HandledContact};
pub use level::{Exposure, Level, classify};
pub use policy::Policy;
pub use prompts::{BreakPrompt, CheckInDue};
pub use summary::{Status, Summary, summarise};
pub use totals::{DayTotals, Totals};

/// Builders shared by the unit tests.
#[cfg(test)]
mod testkit {
    use crate::{Exposure, HandledContact, Level};
    use chrono::{DateTime, Utc};
    use fc_domain::Channel;

    pub(crate) fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    /// A 999 contact at `level` (reasons left empty: the summary rules never read them).
    pub(crate) fn contact(
        reference: &str,
        level: Level,
        answered: &str,
        closed: Option<&str>,
    ) -> HandledContact {
        HandledContact {
            reference: reference.into(),
            channel: Channel::Emergency999,
            answered_at: at(answered),
            closed_at: closed.map(at),
            exposure: Exposure { level, reasons: Vec::new() },
        }
    }
}

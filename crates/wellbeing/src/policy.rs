//! The thresholds behind the exposure summary, in one place so a force can set its own and a
//! reader can see why each default was chosen. Values come from configuration, never from a
//! request; nonsense values (zero or negative) are treated as "nothing", never a panic.

use serde::{Deserialize, Serialize};

/// A force's wellbeing thresholds. The defaults follow common UK control-room practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Hours back from now that make "this shift" (12): control-room shifts run up to 12 hours,
    /// so a rolling 12 hours covers the current one without needing the roster.
    pub shift_hours: i64,
    /// Days back from now that make "this week" (7), and the UK days drawn on the chart: a week
    /// shows a build-up that a single shift hides.
    pub week_days: i64,
    /// Minutes of break prompted after a severe contact (10): long enough to step away from the
    /// phones before the next call, short enough that the queue can spare it.
    pub break_minutes: i64,
    /// Distressing-or-worse contacts in one shift (since the last settling check-in) that make a
    /// supervisor check-in due (4): several hard calls back to back wear as much as one terrible one.
    pub heavy_shift: u32,
    /// Distressing-or-worse contacts in one shift that turn the status amber (2): an early nudge to
    /// the supervisor, well before a check-in is due.
    pub busy_shift: u32,
    /// Minutes on distressing-or-worse contacts within the week that mark a heavy week (180):
    /// three hours of harm in a week is when supervisors look at rotating someone off 999.
    pub heavy_week_minutes: i64,
    /// The longest a single contact counts, in minutes (120): a contact left open overnight, or
    /// never closed, is not ten hours of exposure.
    pub contact_minutes_cap: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            shift_hours: 12,
            week_days: 7,
            break_minutes: 10,
            heavy_shift: 4,
            busy_shift: 2,
            heavy_week_minutes: 180,
            contact_minutes_cap: 120,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones_and_missing_fields_take_them() {
        let p = Policy::default();
        assert_eq!((p.shift_hours, p.week_days, p.break_minutes), (12, 7, 10));
        assert_eq!((p.heavy_shift, p.busy_shift), (4, 2));
        assert_eq!((p.heavy_week_minutes, p.contact_minutes_cap), (180, 120));
        let partial: Policy = serde_json::from_str(r#"{"heavy_shift": 6}"#).expect("json");
        assert_eq!(partial, Policy { heavy_shift: 6, ..Policy::default() });
    }
}

//! Attendance against the grade's target: the time from an incident's creation to the first unit
//! at scene. Targets are configuration (each force sets its own); the defaults are the typical
//! ones: grade 1 within 15 minutes urban or 20 rural, grade 2 within 60 minutes.

use crate::Grade;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// Whether an incident is in an urban or rural area (grade 1 targets differ).
    pub enum Area ("area") {
        /// Towns and cities.
        Urban = ("urban", "Urban"),
        /// Countryside, where travel takes longer.
        Rural = ("rural", "Rural"),
    }
}

/// Attendance targets in minutes, per grade (and area for grade 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceTargets {
    /// Grade 1 in an urban area.
    pub grade1_urban_minutes: u32,
    /// Grade 1 in a rural area.
    pub grade1_rural_minutes: u32,
    /// Grade 2.
    pub grade2_minutes: u32,
    /// Grade 3 (appointments), if the force measures it.
    pub grade3_minutes: Option<u32>,
}

impl Default for AttendanceTargets {
    fn default() -> Self {
        Self { grade1_urban_minutes: 15, grade1_rural_minutes: 20, grade2_minutes: 60, grade3_minutes: None }
    }
}

impl AttendanceTargets {
    /// The target in seconds for a grade and area; `None` where attendance is not measured.
    pub fn target_seconds(&self, grade: Grade, area: Area) -> Option<i64> {
        let minutes = match (grade, area) {
            (Grade::Emergency, Area::Urban) => Some(self.grade1_urban_minutes),
            (Grade::Emergency, Area::Rural) => Some(self.grade1_rural_minutes),
            (Grade::Priority, _) => Some(self.grade2_minutes),
            (Grade::Scheduled, _) => self.grade3_minutes,
            (Grade::Resolution, _) => None,
        };
        minutes.map(|m| i64::from(m) * 60)
    }

    /// Where an incident stands against its target at `now`.
    pub fn assess(
        &self,
        grade: Grade,
        area: Area,
        created_at: DateTime<Utc>,
        first_at_scene: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Attendance {
        let target_seconds = self.target_seconds(grade, area);
        let end = first_at_scene.unwrap_or(now);
        let elapsed_seconds = (end - created_at).num_seconds().max(0);
        let breached = target_seconds.is_some_and(|t| elapsed_seconds > t);
        Attendance { target_seconds, elapsed_seconds, attended: first_at_scene.is_some(), breached }
    }
}

/// An incident's attendance, live: how long since it was raised (or how long the first arrival
/// took), against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendance {
    /// The grade's target, when measured.
    pub target_seconds: Option<i64>,
    /// Seconds to first arrival, or so far if nobody has arrived.
    pub elapsed_seconds: i64,
    /// Whether a unit has arrived.
    pub attended: bool,
    /// Whether the target was (or is being) missed.
    pub breached: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn grade_one_urban_breaches_after_fifteen_minutes_unless_attended() {
        let t = AttendanceTargets::default();
        let at = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").expect("date").with_timezone(&Utc);
        let live = t.assess(Grade::Emergency, Area::Urban, at, None, at + Duration::minutes(16));
        assert!(live.breached && !live.attended);
        let rural = t.assess(Grade::Emergency, Area::Rural, at, None, at + Duration::minutes(16));
        assert!(!rural.breached);
        let met = t.assess(
            Grade::Emergency,
            Area::Urban,
            at,
            Some(at + Duration::minutes(9)),
            at + Duration::hours(2),
        );
        assert_eq!((met.breached, met.elapsed_seconds), (false, 540));
        assert_eq!(t.target_seconds(Grade::Resolution, Area::Urban), None);
        assert_eq!(t.target_seconds(Grade::Priority, Area::Rural), Some(3600));
    }
}

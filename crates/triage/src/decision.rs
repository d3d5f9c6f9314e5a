//! The handler's final grade. The engine recommends; the handler decides. When they differ, a
//! reason is required so the decision is defensible and supervisors can review overrides.

use crate::TriageError;
use fc_domain::Grade;
use serde::{Deserialize, Serialize};

/// The recorded grading decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeDecision {
    /// What the engine recommended.
    pub recommended: Grade,
    /// What the handler chose.
    pub final_grade: Grade,
    /// The handler's reason (required when the grades differ).
    pub reason: Option<String>,
}

impl GradeDecision {
    /// Whether the handler overrode the recommendation (supervisors review these).
    pub fn is_override(&self) -> bool {
        self.recommended != self.final_grade
    }

    /// Whether the override made the response less urgent (the riskier direction).
    pub fn is_downgrade(&self) -> bool {
        self.final_grade > self.recommended
    }
}

/// Records the handler's final grade, requiring a non-blank reason when it differs from the
/// recommendation.
pub fn decide(
    recommended: Grade,
    final_grade: Grade,
    reason: Option<&str>,
) -> Result<GradeDecision, TriageError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if recommended != final_grade && reason.is_none() {
        return Err(TriageError::OverrideReasonRequired { recommended, chosen: final_grade });
    }
    Ok(GradeDecision { recommended, final_grade, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreeing_needs_no_reason_overriding_does() {
        assert!(decide(Grade::Priority, Grade::Priority, None).is_ok());
        let err = decide(Grade::Emergency, Grade::Scheduled, Some("   ")).expect_err("blank reason");
        assert!(err.to_string().contains("reason is required"));
        let d = decide(Grade::Emergency, Grade::Scheduled, Some("suspect arrested on scene")).expect("ok");
        assert!(d.is_override() && d.is_downgrade());
        let up = decide(Grade::Scheduled, Grade::Emergency, Some("caller's tone")).expect("ok");
        assert!(up.is_override() && !up.is_downgrade());
    }
}

//! Response grades. A grade decides whether and how fast police attend; each force sets its own
//! targets, so targets are data passed in, with the typical defaults here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The response grade given to a contact or incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub enum Grade {
    /// Grade 1: danger to life, serious injury, crime in progress.
    Emergency = 1,
    /// Grade 2: genuine need for police, not an emergency; risk may grow.
    Priority = 2,
    /// Grade 3: attendance can be planned.
    Scheduled = 3,
    /// Grade 4: resolved without deployment.
    Resolution = 4,
}

impl Grade {
    /// All grades, most urgent first.
    pub const ALL: [Grade; 4] = [Grade::Emergency, Grade::Priority, Grade::Scheduled, Grade::Resolution];

    /// The grade's number, as people say it ("a grade 1").
    pub fn number(self) -> u8 {
        self as u8
    }

    /// A name for screens.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Emergency => "Emergency",
            Grade::Priority => "Priority",
            Grade::Scheduled => "Scheduled",
            Grade::Resolution => "Resolution without deployment",
        }
    }

    /// Typical attendance target in minutes (urban for grade 1); `None` where nobody attends.
    /// Forces override these in configuration.
    pub fn default_attendance_target_minutes(self) -> Option<u32> {
        match self {
            Grade::Emergency => Some(15),
            Grade::Priority => Some(60),
            Grade::Scheduled => Some(3 * 24 * 60),
            Grade::Resolution => None,
        }
    }
}

impl TryFrom<u8> for Grade {
    type Error = crate::DomainError;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        match n {
            1 => Ok(Grade::Emergency),
            2 => Ok(Grade::Priority),
            3 => Ok(Grade::Scheduled),
            4 => Ok(Grade::Resolution),
            other => {
                Err(crate::DomainError::invalid("grade", format!("grade must be 1, 2, 3 or 4, not {other}")))
            }
        }
    }
}

impl From<Grade> for u8 {
    fn from(g: Grade) -> u8 {
        g.number()
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grade {}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_from_numbers_only_one_to_four() {
        for g in Grade::ALL {
            assert_eq!(Grade::try_from(g.number()), Ok(g));
        }
        assert!(Grade::try_from(0).is_err());
        assert!(Grade::try_from(5).is_err());
        assert!(serde_json::from_str::<Grade>("7").is_err());
        assert_eq!(serde_json::from_str::<Grade>("2").ok(), Some(Grade::Priority));
    }

    #[test]
    fn more_urgent_grades_order_first() {
        assert!(Grade::Emergency < Grade::Resolution);
    }
}

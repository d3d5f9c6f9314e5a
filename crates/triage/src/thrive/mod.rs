//! THRIVE: the structured risk assessment done at first contact (Threat, Harm, Risk,
//! Investigation, Vulnerability, Engagement). A record is never edited: a reassessment is a new
//! version, so the reasoning at each moment can be shown later (to a supervisor, a review, a court).
//! Time and assessor come in as arguments; this module has no clock.

mod guide;

pub use guide::{ElementGuide, guide};

use crate::TriageError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The six THRIVE elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThriveElement {
    /// What threat exists, to whom.
    Threat,
    /// What harm has been or could be caused.
    Harm,
    /// How likely, how soon.
    Risk,
    /// What investigation is needed; what evidence to secure.
    Investigation,
    /// Is the person vulnerable, and why.
    Vulnerability,
    /// What engagement is needed to resolve it, with partners too.
    Engagement,
}

/// Which judgements an element takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// none / low / medium / high.
    Level,
    /// yes / no.
    YesNo,
}

impl ThriveElement {
    /// All elements, in THRIVE order.
    pub const ALL: [ThriveElement; 6] = [
        ThriveElement::Threat,
        ThriveElement::Harm,
        ThriveElement::Risk,
        ThriveElement::Investigation,
        ThriveElement::Vulnerability,
        ThriveElement::Engagement,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ThriveElement::Threat => "threat",
            ThriveElement::Harm => "harm",
            ThriveElement::Risk => "risk",
            ThriveElement::Investigation => "investigation",
            ThriveElement::Vulnerability => "vulnerability",
            ThriveElement::Engagement => "engagement",
        }
    }

    /// The judgements this element accepts: Investigation and Engagement are yes/no ("is it
    /// needed?"); the others are graded.
    pub fn scale(self) -> Scale {
        match self {
            ThriveElement::Investigation | ThriveElement::Engagement => Scale::YesNo,
            _ => Scale::Level,
        }
    }
}

/// A judgement on one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    /// Not yet assessed (the handler skipped it or has not reached it).
    #[default]
    NotAssessed,
    /// None identified.
    None,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Yes (for yes/no elements).
    Yes,
    /// No (for yes/no elements).
    No,
}

impl Judgement {
    /// A rank for rules: not assessed / none / no = 0, low = 1, medium = 2, high / yes = 3.
    pub fn rank(self) -> u8 {
        match self {
            Judgement::NotAssessed | Judgement::None | Judgement::No => 0,
            Judgement::Low => 1,
            Judgement::Medium => 2,
            Judgement::High | Judgement::Yes => 3,
        }
    }

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::NotAssessed => "not_assessed",
            Judgement::None => "none",
            Judgement::Low => "low",
            Judgement::Medium => "medium",
            Judgement::High => "high",
            Judgement::Yes => "yes",
            Judgement::No => "no",
        }
    }

    fn fits(self, scale: Scale) -> bool {
        matches!(
            (self, scale),
            (Judgement::NotAssessed, _)
                | (Judgement::Yes | Judgement::No, Scale::YesNo)
                | (Judgement::None | Judgement::Low | Judgement::Medium | Judgement::High, Scale::Level)
        )
    }
}

/// One element's judgement and the handler's words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThriveEntry {
    /// The judgement.
    pub judgement: Judgement,
    /// Free text: the reasoning, in the handler's words.
    #[serde(default)]
    pub notes: String,
}

/// What the handler fills in; the record adds version, assessor and time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThriveDraft {
    /// Threat.
    pub threat: ThriveEntry,
    /// Harm.
    pub harm: ThriveEntry,
    /// Risk.
    pub risk: ThriveEntry,
    /// Investigation.
    pub investigation: ThriveEntry,
    /// Vulnerability.
    pub vulnerability: ThriveEntry,
    /// Engagement.
    pub engagement: ThriveEntry,
}

impl ThriveDraft {
    /// The entry for an element.
    pub fn entry(&self, element: ThriveElement) -> &ThriveEntry {
        match element {
            ThriveElement::Threat => &self.threat,
            ThriveElement::Harm => &self.harm,
            ThriveElement::Risk => &self.risk,
            ThriveElement::Investigation => &self.investigation,
            ThriveElement::Vulnerability => &self.vulnerability,
            ThriveElement::Engagement => &self.engagement,
        }
    }

    /// The entry for an element, to fill in.
    pub fn entry_mut(&mut self, element: ThriveElement) -> &mut ThriveEntry {
        match element {
            ThriveElement::Threat => &mut self.threat,
            ThriveElement::Harm => &mut self.harm,
            ThriveElement::Risk => &mut self.risk,
            ThriveElement::Investigation => &mut self.investigation,
            ThriveElement::Vulnerability => &mut self.vulnerability,
            ThriveElement::Engagement => &mut self.engagement,
        }
    }

    /// Checks every judgement fits its element's scale.
    pub fn validate(&self) -> Result<(), TriageError> {
        for element in ThriveElement::ALL {
            let j = self.entry(element).judgement;
            if !j.fits(element.scale()) {
                return Err(TriageError::JudgementOutOfScale {
                    element: element.as_str(),
                    judgement: j.as_str(),
                    expected: match element.scale() {
                        Scale::Level => "none, low, medium or high",
                        Scale::YesNo => "yes or no",
                    },
                });
            }
        }
        Ok(())
    }
}

/// One version of a contact's THRIVE assessment. Serialisable as stored and as sent to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThriveRecord {
    /// 1 for the first assessment, then 2, 3... for reassessments.
    pub version: u32,
    /// Who assessed (user id or collar number).
    pub assessed_by: String,
    /// When (UTC), passed in by the caller.
    pub assessed_at: DateTime<Utc>,
    /// The judgements and notes.
    #[serde(flatten)]
    pub assessment: ThriveDraft,
}

/// Every version of a contact's THRIVE assessment, oldest first. Only grows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThriveHistory {
    versions: Vec<ThriveRecord>,
}

impl ThriveHistory {
    /// Rebuilds a history from stored versions (oldest first).
    pub fn from_versions(versions: Vec<ThriveRecord>) -> Self {
        ThriveHistory { versions }
    }

    /// Records an assessment (the first, or a reassessment) as a new version and returns it.
    pub fn assess(
        &mut self,
        draft: ThriveDraft,
        assessed_by: &str,
        assessed_at: DateTime<Utc>,
    ) -> Result<&ThriveRecord, TriageError> {
        draft.validate()?;
        if assessed_by.trim().is_empty() {
            return Err(TriageError::MissingAssessor);
        }
        if self.current().is_some_and(|prev| assessed_at < prev.assessed_at) {
            return Err(TriageError::ReassessmentBeforePrevious);
        }
        let version = self.current().map_or(1, |prev| prev.version + 1);
        self.versions.push(ThriveRecord {
            version,
            assessed_by: assessed_by.trim().to_string(),
            assessed_at,
            assessment: draft,
        });
        self.versions.last().ok_or(TriageError::MissingAssessor)
    }

    /// The latest version, which the grade rules use.
    pub fn current(&self) -> Option<&ThriveRecord> {
        self.versions.last()
    }

    /// All versions, oldest first.
    pub fn versions(&self) -> &[ThriveRecord] {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, h, 0, 0).single().expect("valid time")
    }

    #[test]
    fn reassessment_is_a_new_version_never_an_overwrite() {
        let mut history = ThriveHistory::default();
        let mut draft = ThriveDraft {
            risk: ThriveEntry { judgement: Judgement::Medium, notes: "ex has left".into() },
            ..ThriveDraft::default()
        };
        history.assess(draft.clone(), "PC 1234", at(10)).expect("first");
        draft.risk.judgement = Judgement::High;
        let second = history.assess(draft, "PS 77", at(11)).expect("second");
        assert_eq!(second.version, 2);
        assert_eq!(history.versions().len(), 2);
        assert_eq!(history.versions()[0].assessment.risk.judgement, Judgement::Medium);
        assert!(history.assess(ThriveDraft::default(), "PS 77", at(9)).is_err());
        assert!(history.assess(ThriveDraft::default(), "  ", at(12)).is_err());
    }

    #[test]
    fn judgements_must_fit_the_element() {
        let mut draft = ThriveDraft::default();
        draft.investigation.judgement = Judgement::Medium;
        assert!(matches!(
            draft.validate(),
            Err(TriageError::JudgementOutOfScale { element: "investigation", .. })
        ));
        draft.investigation.judgement = Judgement::Yes;
        draft.threat.judgement = Judgement::No;
        assert!(draft.validate().is_err());
        draft.threat.judgement = Judgement::High;
        assert!(draft.validate().is_ok());
    }

    #[test]
    fn record_serialises_flat_for_storage_and_the_ui() {
        let mut history = ThriveHistory::default();
        let record = history.assess(ThriveDraft::default(), "PC 1", at(1)).expect("record").clone();
        let json = serde_json::to_value(&record).expect("json");
        assert_eq!(json["version"], 1);
        assert_eq!(json["threat"]["judgement"], "not_assessed");
        let back: ThriveRecord = serde_json::from_value(json).expect("back");
        assert_eq!(back, record);
    }
}
